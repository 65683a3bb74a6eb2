package dev.replicator.platform.paging;

import dev.replicator.platform.problem.ApiException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.model.Pageable;
import io.micronaut.data.model.Sort;
import java.util.Optional;
import java.util.UUID;

/** The {@code limit} and {@code cursor} query parameters of a list request, validated. */
public record PageRequest(int limit, Optional<UUID> after) {

  public static final int DEFAULT_LIMIT = 100;
  public static final int MAX_LIMIT = 1000;

  public static PageRequest of(@Nullable Integer limit, @Nullable String cursor) {
    int size = limit == null ? DEFAULT_LIMIT : limit;
    if (size < 1 || size > MAX_LIMIT) {
      throw ApiException.invalidField("limit", "must be between 1 and " + MAX_LIMIT);
    }
    return new PageRequest(
        size,
        cursor == null || cursor.isEmpty() ? Optional.empty() : Optional.of(Cursor.decode(cursor)));
  }

  /** The number of rows to fetch: one more than the page, to know whether another page follows. */
  public int fetchSize() {
    return limit + 1;
  }

  /** For lists in creation order: rows with ids above {@link #afterOrFirst()}, oldest first. */
  public Pageable oldestFirst() {
    return Pageable.from(0, fetchSize(), Sort.of(Sort.Order.asc("id")));
  }

  /** For lists newest first: rows with ids below {@link #beforeOrFirst()}. */
  public Pageable newestFirst() {
    return Pageable.from(0, fetchSize(), Sort.of(Sort.Order.desc("id")));
  }

  public UUID afterOrFirst() {
    return after.orElse(new UUID(0L, 0L));
  }

  public UUID beforeOrFirst() {
    return after.orElse(new UUID(-1L, -1L));
  }
}
