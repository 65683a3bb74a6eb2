package dev.replicator.platform.persistence;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Runs a bound query of hand-written SQL and maps each of its rows. */
public final class Rows {

  private Rows() {}

  /** Maps the current row of a result set. */
  @FunctionalInterface
  public interface Mapper<T> {
    T map(ResultSet row) throws SQLException;
  }

  /** Every row the statement returns, mapped, in the order returned. */
  public static <T> List<T> list(PreparedStatement statement, Mapper<T> mapper)
      throws SQLException {
    List<T> found = new ArrayList<>();
    try (ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        found.add(mapper.map(rows));
      }
    }
    return found;
  }
}
