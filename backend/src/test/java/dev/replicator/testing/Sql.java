package dev.replicator.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Direct SQL against a test server's database, for arranging states (an expired session) and reading raw rows. */
public final class Sql {

  private Sql() {}

  public static int update(TestPostgres.Database database, String sql) {
    try (Connection connection = DriverManager.getConnection(database.url(), database.username(), database.password());
        Statement statement = connection.createStatement()) {
      return statement.executeUpdate(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  public static long count(TestPostgres.Database database, String sql) {
    try (Connection connection = DriverManager.getConnection(database.url(), database.username(), database.password());
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  public static String text(TestPostgres.Database database, String sql) {
    try (Connection connection = DriverManager.getConnection(database.url(), database.username(), database.password());
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      return rows.next() ? rows.getString(1) : null;
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }
}
