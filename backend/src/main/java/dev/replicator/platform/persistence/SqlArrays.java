package dev.replicator.platform.persistence;

import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;

/**
 * Binds Java values as PostgreSQL arrays, for {@code = ANY (?)} and for {@code unnest} of many rows
 * in one statement.
 */
public final class SqlArrays {

  private SqlArrays() {}

  /**
   * {@code values} as an array of the SQL {@code type} ({@code text}, {@code uuid}, {@code int8}
   * …).
   */
  public static Array of(PreparedStatement statement, String type, Collection<?> values)
      throws SQLException {
    return statement.getConnection().createArrayOf(type, values.toArray());
  }

  /** Binds {@code values} as an array of {@code type} at parameter {@code index}. */
  public static void bind(PreparedStatement statement, int index, String type, Collection<?> values)
      throws SQLException {
    statement.setArray(index, of(statement, type, values));
  }

  /**
   * Binds one column of {@code rows} — {@code column} of each, in order, nulls included — as an
   * array of {@code type} at parameter {@code index}.
   */
  public static <T> void bindColumn(
      PreparedStatement statement,
      int index,
      String type,
      List<T> rows,
      Function<? super T, ?> column)
      throws SQLException {
    bind(statement, index, type, rows.stream().map(column).toList());
  }
}
