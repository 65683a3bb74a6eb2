package dev.replicator.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Direct SQL against a test server's database, for arranging states (an expired session) and
 * reading raw rows.
 */
public final class Sql {

  private Sql() {}

  public static int update(TestPostgres.Database database, String sql) {
    try (Connection connection =
            DriverManager.getConnection(database.url(), database.username(), database.password());
        Statement statement = connection.createStatement()) {
      return statement.executeUpdate(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  public static long count(TestPostgres.Database database, String sql) {
    try (Connection connection =
            DriverManager.getConnection(database.url(), database.username(), database.password());
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  public static String text(TestPostgres.Database database, String sql) {
    try (Connection connection =
            DriverManager.getConnection(database.url(), database.username(), database.password());
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      return rows.next() ? rows.getString(1) : null;
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  /** The application's tables (the public schema's), by name. */
  public static List<String> tables(TestPostgres.Database database) {
    return Stream.of(
            text(
                    database,
                    "SELECT string_agg(table_name, ',' ORDER BY table_name)"
                        + " FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'")
                .split(","))
        .toList();
  }

  /**
   * "table=rows" of each of {@code tables}, in one line: equal before and after means nothing was
   * added or removed.
   */
  public static String rowCounts(TestPostgres.Database database, Collection<String> tables) {
    return text(
        database,
        tables.stream()
            .map(table -> "'" + table + "=' || (SELECT count(*) FROM \"" + table + "\")")
            .collect(Collectors.joining(", ", "SELECT concat_ws(', ', ", ")")));
  }
}
