package dev.replicator.platform.json;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * The date-times the API accepts, in bodies and query parameters alike: RFC 3339 with an offset,
 * from 1970 to the end of 9999. Java parses years of up to nine digits, which PostgreSQL cannot
 * store (and no S3 object has).
 */
public final class Timestamps {

  public static final Instant MIN = Instant.parse("1970-01-01T00:00:00Z");
  public static final Instant MAX = Instant.parse("9999-12-31T23:59:59.999999999Z");
  public static final String EXPECTED =
      "must be an RFC 3339 date-time such as 2026-01-01T00:00:00Z, from 1970-01-01T00:00:00Z to 9999-12-31T23:59:59Z";

  private Timestamps() {}

  /** The instant, or empty when the text is not a date-time the API accepts. */
  public static Optional<Instant> parse(String text) {
    Instant instant;
    try {
      instant = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeException e) {
      return Optional.empty();
    }
    return instant.isBefore(MIN) || instant.isAfter(MAX) ? Optional.empty() : Optional.of(instant);
  }
}
