package dev.replicator.replication;

import io.micronaut.core.annotation.Nullable;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * Whether a written replica holds what its source version has, judged from what the destination
 * shows (a HEAD of the replica's version, and its tags where the source has tags), not from what
 * was sent. Stores drop attributes without an error: Ceph RGW 16 ignores {@code x-amz-tagging} on
 * CreateMultipartUpload and on CopyObject with REPLACE and turns {@code _} in metadata names into
 * {@code -}; S3Mock keeps the source's Content-Type on CopyObject with REPLACE and stores {@code
 * x-amz-tagging} without URL-decoding it.
 *
 * <p>What a client of the store would read as the same counts as the same: metadata names in any
 * case (RGW lowercases them) and values without surrounding blanks; media types and their parameter
 * names in any case, blanks and quotes around parameters dropped (S3Mock rewrites {@code Text/CSV;
 * Charset="UTF-8"} as {@code text/csv;charset=UTF-8}), a charset in any case, and no type, {@code
 * binary/octet-stream} and {@code application/octet-stream} all meaning "unknown bytes" (the
 * defaults of AWS and RGW, and of S3Mock); content codings, languages and cache directives in any
 * case, blanks around separators dropped, and the {@code aws-chunked} coding S3 removes ignored;
 * Expires as the instant it names whatever its HTTP date format (RFC 1123, RFC 850, asctime or
 * ISO-8601), or else as the same text. Metadata the replica has beyond the source's is not a
 * difference. Tags must be the same set of keys and values.
 */
final class ReplicaCheck {

  private static final String UNKNOWN_BYTES = "";

  private static final List<DateTimeFormatter> HTTP_DATES =
      List.of(
          DateTimeFormatter.RFC_1123_DATE_TIME,
          new DateTimeFormatterBuilder()
              .parseCaseInsensitive()
              .appendPattern("EEEE, dd-MMM-")
              .appendValueReduced(ChronoField.YEAR, 2, 2, 1970)
              .appendPattern(" HH:mm:ss zzz")
              .toFormatter(Locale.ENGLISH),
          new DateTimeFormatterBuilder()
              .parseCaseInsensitive()
              .appendPattern("EEE MMM d HH:mm:ss yyyy")
              .toFormatter(Locale.ENGLISH)
              .withZone(ZoneOffset.UTC));

  private ReplicaCheck() {}

  /**
   * What the replica must show: the source version's size, user metadata (with the replica stamp),
   * content headers and Expires as they were sent to the destination. {@code expires} is the
   * source's Expires text.
   */
  record Expected(
      long contentLength,
      Map<String, String> metadata,
      @Nullable String contentType,
      @Nullable String cacheControl,
      @Nullable String contentDisposition,
      @Nullable String contentEncoding,
      @Nullable String contentLanguage,
      @Nullable String expires) {

    /**
     * What {@code written} asks the destination to store; {@code sourceExpires} is the source's
     * Expires as it shows it.
     */
    static Expected of(PutObjectRequest written, @Nullable String sourceExpires) {
      String expires = sourceExpires;
      if (blank(expires) && written.expires() != null) {
        expires =
            DateTimeFormatter.RFC_1123_DATE_TIME.format(written.expires().atOffset(ZoneOffset.UTC));
      }
      return new Expected(
          written.contentLength() == null ? -1 : written.contentLength(),
          written.metadata(),
          written.contentType(),
          written.cacheControl(),
          written.contentDisposition(),
          written.contentEncoding(),
          written.contentLanguage(),
          expires);
    }
  }

  /**
   * How the replica differs from what it must hold, one readable line each; empty when it holds all
   * of it.
   */
  static List<String> differences(Expected expected, HeadObjectResponse replica) {
    List<String> differences = new ArrayList<>();
    if (expected.contentLength() >= 0
        && replica.contentLength() != null
        && replica.contentLength() != expected.contentLength()) {
      differences.add(
          "the size is "
              + replica.contentLength()
              + " bytes instead of "
              + expected.contentLength());
    }
    differences.addAll(metadataDifferences(expected.metadata(), replica.metadata()));
    header(
        differences,
        "Content-Type",
        expected.contentType(),
        replica.contentType(),
        ReplicaCheck::contentType);
    header(
        differences,
        "Cache-Control",
        expected.cacheControl(),
        replica.cacheControl(),
        ReplicaCheck::cacheControl);
    header(
        differences,
        "Content-Disposition",
        expected.contentDisposition(),
        replica.contentDisposition(),
        ReplicaCheck::contentDisposition);
    header(
        differences,
        "Content-Encoding",
        expected.contentEncoding(),
        replica.contentEncoding(),
        ReplicaCheck::contentEncoding);
    header(
        differences,
        "Content-Language",
        expected.contentLanguage(),
        replica.contentLanguage(),
        ReplicaCheck::contentLanguage);
    if (!sameExpires(expected.expires(), replica.expiresString())) {
      differences.add(describe("Expires", expected.expires(), replica.expiresString()));
    }
    return differences;
  }

  static List<String> metadataDifferences(
      Map<String, String> expected, @Nullable Map<String, String> replica) {
    Map<String, String> shown = new HashMap<>();
    if (replica != null) {
      replica.forEach((name, value) -> shown.put(name.toLowerCase(Locale.ROOT), value));
    }
    List<String> differences = new ArrayList<>();
    for (Map.Entry<String, String> entry : new TreeMap<>(expected).entrySet()) {
      String name = entry.getKey().toLowerCase(Locale.ROOT);
      String value = shown.get(name);
      if (value == null) {
        String renamed = name.replace('_', '-');
        differences.add(
            "metadata \""
                + entry.getKey()
                + "\" is missing"
                + (!renamed.equals(name) && shown.containsKey(renamed)
                    ? " (the store shows it as \"" + renamed + "\")"
                    : ""));
      } else if (!trim(value).equals(trim(entry.getValue()))) {
        differences.add(
            "metadata \""
                + entry.getKey()
                + "\" is \""
                + value
                + "\" instead of \""
                + entry.getValue()
                + "\"");
      }
    }
    return differences;
  }

  /** Whether the replica's tags are the source's: the same keys with the same values. */
  static boolean sameTags(List<Tag> expected, @Nullable List<Tag> replica) {
    return tagMap(expected).equals(tagMap(replica == null ? List.of() : replica));
  }

  /**
   * Whether a tag count the destination's HEAD shows ({@code x-amz-tagging-count}, which RGW and
   * AWS send and S3Mock does not) already says the tags differ, so reading them is not needed
   * before setting them.
   */
  static boolean tagCountDiffers(int expected, @Nullable Integer shown) {
    return shown != null && shown != expected;
  }

  /** Tags as {@code key=value, ...} for messages. */
  static String describeTags(@Nullable List<Tag> tags) {
    Map<String, String> map = tagMap(tags == null ? List.of() : tags);
    return map.isEmpty()
        ? "none"
        : map.entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining(", "));
  }

  /** Whether the HEAD shows the retention the source version has (to the second). */
  static boolean showsRetention(ObjectLocks.Lock lock, HeadObjectResponse replica) {
    return lock.mode() != null
        && lock.retainUntil() != null
        && lock.mode().equalsIgnoreCase(Objects.toString(replica.objectLockModeAsString(), ""))
        && replica.objectLockRetainUntilDate() != null
        && replica
            .objectLockRetainUntilDate()
            .truncatedTo(ChronoUnit.SECONDS)
            .equals(lock.retainUntil().truncatedTo(ChronoUnit.SECONDS));
  }

  /** Whether the HEAD shows the legal hold status the source version has. */
  static boolean showsLegalHold(ObjectLocks.Lock lock, HeadObjectResponse replica) {
    return lock.legalHold() != null
        && lock.legalHold()
            .equalsIgnoreCase(Objects.toString(replica.objectLockLegalHoldStatusAsString(), ""));
  }

  // --- normal forms
  // -------------------------------------------------------------------------------------------

  /**
   * A media type in a normal form; every "unknown bytes" type (none, binary/ or
   * application/octet-stream) as one.
   */
  static String contentType(@Nullable String value) {
    if (blank(value)) {
      return UNKNOWN_BYTES;
    }
    List<String> parts = split(value, ";");
    List<String> normal = new ArrayList<>();
    normal.add(parts.get(0).toLowerCase(Locale.ROOT).replace(" ", ""));
    for (String parameter : parts.subList(1, parts.size())) {
      int equals = parameter.indexOf('=');
      if (equals < 0) {
        normal.add(parameter.toLowerCase(Locale.ROOT));
        continue;
      }
      String name = parameter.substring(0, equals).trim().toLowerCase(Locale.ROOT);
      String parameterValue = unquote(parameter.substring(equals + 1).trim());
      normal.add(
          name
              + "="
              + (name.equals("charset")
                  ? parameterValue.toLowerCase(Locale.ROOT)
                  : parameterValue));
    }
    String type = String.join(";", normal);
    return type.equals("binary/octet-stream") || type.equals("application/octet-stream")
        ? UNKNOWN_BYTES
        : type;
  }

  static String cacheControl(@Nullable String value) {
    return split(value, ",").stream()
        .map(d -> d.toLowerCase(Locale.ROOT).replaceAll("\\s*=\\s*", "="))
        .collect(Collectors.joining(","));
  }

  /**
   * The disposition type in any case, blanks around separators dropped; parameter values (file
   * names) as they are.
   */
  static String contentDisposition(@Nullable String value) {
    List<String> parts = split(value, ";");
    if (parts.isEmpty()) {
      return "";
    }
    List<String> normal = new ArrayList<>();
    normal.add(parts.get(0).toLowerCase(Locale.ROOT));
    for (String parameter : parts.subList(1, parts.size())) {
      int equals = parameter.indexOf('=');
      normal.add(
          equals < 0
              ? parameter
              : parameter.substring(0, equals).trim().toLowerCase(Locale.ROOT)
                  + "="
                  + parameter.substring(equals + 1).trim());
    }
    return String.join(";", normal);
  }

  static String contentEncoding(@Nullable String value) {
    return split(value, ",").stream()
        .map(c -> c.toLowerCase(Locale.ROOT))
        .filter(c -> !c.equals("aws-chunked"))
        .collect(Collectors.joining(","));
  }

  static String contentLanguage(@Nullable String value) {
    return split(value, ",").stream()
        .map(l -> l.toLowerCase(Locale.ROOT))
        .collect(Collectors.joining(","));
  }

  /**
   * Both absent, the same instant in any HTTP date format, or (where either is no date) the same
   * text.
   */
  static boolean sameExpires(@Nullable String expected, @Nullable String shown) {
    if (blank(expected) || blank(shown)) {
      return blank(expected) && blank(shown);
    }
    Optional<Instant> expectedInstant = httpDate(expected);
    Optional<Instant> shownInstant = httpDate(shown);
    if (expectedInstant.isPresent() && shownInstant.isPresent()) {
      return expectedInstant.get().equals(shownInstant.get());
    }
    return trim(expected).equals(trim(shown));
  }

  /** An HTTP date (RFC 1123, RFC 850 or asctime) or an ISO-8601 instant, to the second. */
  static Optional<Instant> httpDate(@Nullable String value) {
    if (blank(value)) {
      return Optional.empty();
    }
    String text = value.trim().replaceAll("\\s+", " ");
    for (DateTimeFormatter format : HTTP_DATES) {
      try {
        return Optional.of(
            ZonedDateTime.parse(text, format).toInstant().truncatedTo(ChronoUnit.SECONDS));
      } catch (DateTimeException e) {
        // the next format
      }
    }
    try {
      return Optional.of(Instant.parse(text).truncatedTo(ChronoUnit.SECONDS));
    } catch (DateTimeException e) {
      try {
        return Optional.of(
            LocalDateTime.parse(text).toInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS));
      } catch (DateTimeException notIso) {
        return Optional.empty();
      }
    }
  }

  // --- helpers
  // ------------------------------------------------------------------------------------------------

  private static void header(
      List<String> differences,
      String name,
      @Nullable String expected,
      @Nullable String shown,
      UnaryOperator<String> normal) {
    if (!normal.apply(expected).equals(normal.apply(shown))) {
      differences.add(describe(name, expected, shown));
    }
  }

  private static String describe(String name, @Nullable String expected, @Nullable String shown) {
    if (blank(shown)) {
      return name + " is missing (the source has \"" + expected + "\")";
    }
    return name
        + " is \""
        + shown
        + "\" instead of "
        + (blank(expected) ? "none" : "\"" + expected + "\"");
  }

  private static Map<String, String> tagMap(List<Tag> tags) {
    return tags.stream()
        .collect(
            Collectors.toMap(
                Tag::key, t -> Objects.toString(t.value(), ""), (a, b) -> b, TreeMap::new));
  }

  private static List<String> split(@Nullable String value, String separator) {
    if (blank(value)) {
      return List.of();
    }
    return Arrays.stream(value.split(separator))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .toList();
  }

  private static String unquote(String value) {
    return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
        ? value.substring(1, value.length() - 1)
        : value;
  }

  private static String trim(@Nullable String value) {
    return value == null ? "" : value.trim();
  }

  private static boolean blank(@Nullable String value) {
    return value == null || value.isBlank();
  }
}
