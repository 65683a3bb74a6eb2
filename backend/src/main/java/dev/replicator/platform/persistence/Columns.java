package dev.replicator.platform.persistence;

import io.micronaut.core.annotation.Nullable;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/** Reads and binds nullable columns of hand-written SQL. */
public final class Columns {

  private Columns() {}

  public static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
    Timestamp value = rs.getTimestamp(column);
    return value == null ? null : value.toInstant();
  }

  public static @Nullable Long nullableLong(ResultSet rs, String column) throws SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? null : value;
  }

  public static @Nullable Integer nullableInt(ResultSet rs, String column) throws SQLException {
    int value = rs.getInt(column);
    return rs.wasNull() ? null : value;
  }

  /**
   * One field of {@code rows}, in order, nulls included: a statement binds it as an array ({@code
   * bindArray}) to write or match many rows at once.
   */
  public static <T, C> List<C> column(List<T> rows, Function<? super T, C> value) {
    return rows.stream().map(value).toList();
  }

  public static @Nullable Timestamp timestamp(@Nullable Instant instant) {
    return instant == null ? null : Timestamp.from(instant);
  }
}
