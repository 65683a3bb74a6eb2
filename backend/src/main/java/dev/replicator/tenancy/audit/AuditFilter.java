package dev.replicator.tenancy.audit;

import dev.replicator.platform.problem.ApiException;
import dev.replicator.platform.web.RequestInstants;
import io.micronaut.core.annotation.Nullable;
import java.time.Instant;

/**
 * Which audit entries a list shows: an action or a group of them ({@code session} stands for {@code
 * session.open}, {@code session.close} and {@code session.failed}), an actor containing a text
 * (case-insensitive), and a time range {@code [since, until)}. Null parts do not filter.
 */
public record AuditFilter(
    @Nullable String action,
    @Nullable String actor,
    @Nullable Instant since,
    @Nullable Instant until) {

  private static final int MAX_TEXT = 200;

  /** The filter of a list request's query parameters, validated. */
  public static AuditFilter of(
      @Nullable String action,
      @Nullable String actor,
      @Nullable String since,
      @Nullable String until) {
    AuditFilter filter =
        new AuditFilter(
            text("action", action),
            text("actor", actor),
            instant("since", since),
            instant("until", until));
    if (filter.action != null && !filter.action.matches("[a-z-]+(\\.[a-z-]+)?")) {
      throw ApiException.invalidField(
          "action", "must be an action such as session.failed, or a group such as session");
    }
    if (filter.since != null && filter.until != null && !filter.since.isBefore(filter.until)) {
      throw ApiException.invalidField("since", "must be before until");
    }
    return filter;
  }

  private static @Nullable String text(String field, @Nullable String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    if (value.length() > MAX_TEXT) {
      throw ApiException.invalidField(field, "must be at most " + MAX_TEXT + " characters");
    }
    return value.strip();
  }

  private static @Nullable Instant instant(String field, @Nullable String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    return RequestInstants.parse(field, value);
  }
}
