package dev.replicator.platform.persistence;

import java.sql.SQLException;

/** Recognises PostgreSQL constraint violations, which the API turns into 409 Conflict. */
public final class SqlStates {

  private static final String UNIQUE_VIOLATION = "23505";
  private static final String FOREIGN_KEY_VIOLATION = "23503";

  private SqlStates() {}

  public static boolean isUniqueViolation(Throwable error) {
    return hasState(error, UNIQUE_VIOLATION);
  }

  public static boolean isForeignKeyViolation(Throwable error) {
    return hasState(error, FOREIGN_KEY_VIOLATION);
  }

  private static boolean hasState(Throwable error, String state) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && state.equals(sql.getSQLState())) {
        return true;
      }
    }
    return false;
  }
}
