import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The PostgreSQL server bench/lib/postgres started. Replicator connects as the role {@code
 * replicator}; the benchmark itself as {@code postgres}, so that its own queries never count as
 * Replicator's statements.
 */
final class Pg {

  static final String ROLE = "replicator";
  static final String PASSWORD = "replicator";

  final int port;
  final Path dir;

  /**
   * One open connection per database for the benchmark's own queries. Opening one per query forks a
   * backend each time (a few ms of CPU): polled every 20 ms while a job runs, that took a fifth of
   * a core from the tool being measured and was counted as its PostgreSQL CPU.
   */
  private final Map<String, Connection> sessions = new ConcurrentHashMap<>();

  Pg(int port, Path dir) {
    this.port = port;
    this.dir = dir;
    try (Connection c = connect("postgres");
        Statement s = c.createStatement()) {
      try (ResultSet r = s.executeQuery("SELECT 1 FROM pg_roles WHERE rolname = '" + ROLE + "'")) {
        if (!r.next()) {
          s.execute("CREATE ROLE " + ROLE + " LOGIN PASSWORD '" + PASSWORD + "'");
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("PostgreSQL on port " + port + ": " + e.getMessage(), e);
    }
  }

  String url(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  Connection connect(String database) throws SQLException {
    return DriverManager.getConnection(
        url(database) + "?user=postgres&ApplicationName=replicator-bench");
  }

  void createDatabase(String name) {
    execute("postgres", "CREATE DATABASE " + name + " OWNER " + ROLE);
  }

  void dropDatabase(String name) {
    Connection held = sessions.remove(name);
    if (held != null) {
      try {
        held.close();
      } catch (SQLException e) {
        // dropped with the database anyway
      }
    }
    execute("postgres", "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
  }

  /** The benchmark's open connection to {@code database}; the caller synchronises on it. */
  private synchronized Connection session(String database) throws SQLException {
    Connection held = sessions.get(database);
    if (held == null || held.isClosed()) {
      held = connect(database);
      sessions.put(database, held);
    }
    return held;
  }

  void execute(String database, String sql) {
    try {
      Connection c = session(database);
      synchronized (c) {
        try (Statement s = c.createStatement()) {
          s.execute(sql);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  /** The first column of the first row, as text (null when there is none). */
  String text(String database, String sql, Object... args) {
    List<String[]> rows = rows(database, sql, args);
    return rows.isEmpty() ? null : rows.get(0)[0];
  }

  List<String[]> rows(String database, String sql, Object... args) {
    try {
      Connection c = session(database);
      synchronized (c) {
        return rows(c, sql, args);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  private static List<String[]> rows(Connection c, String sql, Object... args) throws SQLException {
    List<String[]> rows = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        s.setObject(i + 1, args[i]);
      }
      try (ResultSet r = s.executeQuery()) {
        int n = r.getMetaData().getColumnCount();
        while (r.next()) {
          String[] row = new String[n];
          for (int i = 0; i < n; i++) {
            row[i] = r.getString(i + 1);
          }
          rows.add(row);
        }
      }
    }
    return rows;
  }

  void resetStatements() {
    text("postgres", "SELECT pg_stat_statements_reset()::text");
  }

  /**
   * A statement, how often Replicator ran it since the last reset, and the time PostgreSQL spent
   * executing and planning it.
   */
  record Statement_(long calls, double executionMillis, double planningMillis, String query) {
    double totalMillis() {
      return executionMillis + planningMillis;
    }

    /**
     * A short name for Replicator's queue statements, whose texts begin alike (from the product's
     * TaskQueue; "" for the others).
     */
    String label() {
      String q = query.replaceAll("\\s+", " ");
      if (q.startsWith("WITH live_expired AS")) {
        return "[claim] ";
      }
      if (q.startsWith("UPDATE replication_tasks t SET state = $1, lease_owner")
          && q.contains("t.source_key = $9")) {
        return "[adopt the key's other versions] ";
      }
      if (q.startsWith("UPDATE replication_tasks t SET state = v.state")) {
        return "[outcomes] ";
      }
      return "";
    }

    /** Its label and text on one line, cut to {@code width} characters, for the report. */
    String shortText(int width) {
      String q = label() + query.replaceAll("\\s+", " ");
      return q.substring(0, Math.min(width, q.length()));
    }

    /** Calls of the statements that are ({@code control}) or are not transaction control. */
    static long calls(List<Statement_> statements, boolean control) {
      return statements.stream()
          .filter(s -> s.transactionControl() == control)
          .mapToLong(Statement_::calls)
          .sum();
    }

    boolean transactionControl() {
      String q = query.strip().toUpperCase();
      return q.startsWith("BEGIN")
          || q.startsWith("COMMIT")
          || q.startsWith("ROLLBACK")
          || q.startsWith("SAVEPOINT")
          || q.startsWith("RELEASE")
          || q.startsWith("SET ")
          || q.startsWith("SHOW ")
          || q.startsWith("START TRANSACTION");
    }
  }

  /**
   * Statements run by the role {@code replicator} in {@code database} since the last reset, most
   * frequent first.
   */
  List<Statement_> statements(String database) {
    List<Statement_> found = new ArrayList<>();
    for (String[] row :
        rows(
            "postgres",
            """
        SELECT s.calls, s.total_exec_time, s.total_plan_time, s.query FROM pg_stat_statements s
        JOIN pg_database d ON d.oid = s.dbid JOIN pg_roles r ON r.oid = s.userid
        WHERE d.datname = ? AND r.rolname = ? ORDER BY s.calls DESC""",
            database,
            ROLE)) {
      found.add(
          new Statement_(
              Long.parseLong(row[0]),
              Double.parseDouble(row[1]),
              Double.parseDouble(row[2]),
              row[3]));
    }
    return found;
  }

  /** The postmaster's pid, for the CPU of the server and all its backends. */
  long postmasterPid() {
    return Sys.pidFromFile(dir.resolve("data/postmaster.pid"));
  }

  double cpuSeconds() {
    return Sys.treeCpuSeconds(postmasterPid());
  }
}
