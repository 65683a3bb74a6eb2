import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One Replicator deployment: the packaged jar in one or more processes ({@code REPLICATOR_ROLES})
 * sharing a fresh database, with a tenant, an ADMIN token and a trust to the RGW (S3_COMPATIBLE,
 * path style) set up through the API.
 */
final class Replicator implements AutoCloseable {

  static final String ADMIN_TOKEN = "bench-admin-token-" + java.util.UUID.randomUUID();
  static final String MASTER_KEY;

  static {
    byte[] key = new byte[32];
    new java.security.SecureRandom().nextBytes(key);
    MASTER_KEY = java.util.Base64.getEncoder().encodeToString(key);
  }

  private static final AtomicInteger SESSIONS = new AtomicInteger();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  /** A process to start: its name, roles, environment beyond the common one, JVM options. */
  record Spec(String name, String roles, Map<String, String> env, List<String> jvm) {
    static Spec allInOne(Map<String, String> env, List<String> jvm) {
      return new Spec("replicator", "api,scheduler,worker", env, jvm);
    }
  }

  /** A running process. */
  record Node(String name, String roles, int port, Process process, Path log) {
    long pid() {
      return process.pid();
    }
  }

  final String database;
  final List<Node> nodes = new ArrayList<>();
  private final Bench.Env env;
  String tenant;
  String token;
  String trust;

  private Replicator(Bench.Env env, String database) {
    this.env = env;
    this.database = database;
  }

  /**
   * Starts the processes (the one with the api role first, the others after it has migrated the
   * database).
   */
  static Replicator start(Bench.Env env, List<Spec> specs) {
    String database = "bench_" + SESSIONS.incrementAndGet();
    env.pg().createDatabase(database);
    Replicator r = new Replicator(env, database);
    try {
      List<Spec> first = specs.stream().filter(s -> s.roles().contains("api")).toList();
      List<Spec> rest = specs.stream().filter(s -> !s.roles().contains("api")).toList();
      for (Spec spec : first) {
        r.launch(spec);
      }
      r.awaitHealthy();
      for (Spec spec : rest) {
        r.launch(spec);
      }
      r.awaitHealthy();
      r.setUp();
      return r;
    } catch (RuntimeException e) {
      r.close();
      throw e;
    }
  }

  /**
   * The JVM flags the Dockerfile's ENTRYPOINT runs the jar with (besides its heap and OOM
   * settings).
   */
  static final List<String> JVM_FLAGS = List.of("-XX:TieredStopAtLevel=1");

  private void launch(Spec spec) {
    int port = Sys.freePort();
    Map<String, String> vars = new LinkedHashMap<>();
    vars.put("DATASOURCE_URL", env.pg().url(database));
    vars.put("DATASOURCE_USERNAME", Pg.ROLE);
    vars.put("DATASOURCE_PASSWORD", Pg.PASSWORD);
    vars.put("REPLICATOR_ADMIN_TOKEN", ADMIN_TOKEN);
    vars.put("REPLICATOR_MASTER_KEY", MASTER_KEY);
    vars.put("REPLICATOR_ALLOWED_ENDPOINT_CIDRS", "127.0.0.0/8");
    vars.put("REPLICATOR_ROLES", spec.roles());
    vars.put(
        "REPLICATOR_DATA_DIR",
        env.work().resolve("data-" + database + "-" + spec.name()).toString());
    vars.put("PORT", Integer.toString(port));
    vars.put("JAVA_TOOL_OPTIONS", null);
    vars.putAll(spec.env());
    List<String> command = new ArrayList<>(List.of(env.java()));
    command.addAll(classData(spec));
    command.addAll(JVM_FLAGS);
    command.addAll(spec.jvm());
    // for profiling, e.g.
    // BENCH_REPLICATOR_JAVA_OPTIONS=-XX:StartFlightRecording=filename=/tmp/jfr/,settings=profile
    String extra = System.getenv("BENCH_REPLICATOR_JAVA_OPTIONS");
    if (extra != null && !extra.isBlank()) {
      command.addAll(List.of(extra.trim().split("\\s+")));
    }
    command.addAll(List.of("-jar", env.jar().toString()));
    Path log = env.logs().resolve(database + "-" + spec.name() + ".log");
    try {
      Files.writeString(log, "# " + String.join(" ", command) + "\n# " + describe(vars) + "\n");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    Process process = Sys.start(command, vars, log, env.work());
    Node node = new Node(spec.name(), spec.roles(), port, process, log);
    nodes.add(node);
    if (archiverPending) {
      archiverPending = false;
      archiver = node;
    }
  }

  // --- start-up time
  // -------------------------------------------------------------------------------------------------

  /** Whether some process of this run writes the class-data archive (at its exit). */
  private static final java.util.concurrent.atomic.AtomicBoolean ARCHIVING =
      new java.util.concurrent.atomic.AtomicBoolean();

  private Node archiver;

  /**
   * The archive for this jar and JVM, kept between runs in ~/.cache/replicator-bench (a rebuilt jar
   * gets a new one; the JVM also refuses an archive made from another jar by itself).
   */
  private Path archive() {
    try {
      long size = Files.size(env.jar());
      long modified = Files.getLastModifiedTime(env.jar()).toMillis();
      String name =
          String.format(
              "replicator-%d-%d-%08x-java%s.jsa",
              size,
              modified,
              env.jar().toAbsolutePath().toString().hashCode(),
              System.getProperty("java.version"));
      return Path.of(System.getProperty("user.home"), ".cache", "replicator-bench", name);
    } catch (IOException e) {
      return env.work().resolve("replicator.jsa");
    }
  }

  private Path archiveBeingWritten() {
    return env.work().resolve("replicator.jsa.part");
  }

  /**
   * JVM options that only make the process start faster: the first Replicator process started for a
   * jar writes an AppCDS archive of the classes it loaded when it exits, and later ones (of this
   * run and later runs) map it (on two busy cores that halves a start of 10-12 s). Start-up is
   * never inside a measured interval, and a process with a heap limit of its own (the memory phase)
   * runs the plain jar, so that its RSS is what a user would see. A missing or unusable archive
   * only means a slower start: the JVM falls back by itself.
   */
  private List<String> classData(Spec spec) {
    if (spec.jvm().stream().anyMatch(o -> o.startsWith("-Xmx"))) {
      return List.of();
    }
    if (Files.isRegularFile(archive())) {
      return List.of("-XX:SharedArchiveFile=" + archive());
    }
    if (ARCHIVING.compareAndSet(false, true)) {
      archiverPending = true;
      return List.of("-XX:ArchiveClassesAtExit=" + archiveBeingWritten());
    }
    return List.of();
  }

  private boolean archiverPending;

  /**
   * After the archiving process exited (by SIGTERM, not killed): its archive is complete and takes
   * its final name.
   */
  private void keepArchive() {
    if (archiver == null) {
      return;
    }
    try {
      int exit = archiver.process().exitValue();
      if (exit != 137 && Files.isRegularFile(archiveBeingWritten())) {
        Path kept = archive();
        Files.createDirectories(kept.getParent());
        // archives of other builds of this jar are of no further use
        try (var old = Files.newDirectoryStream(kept.getParent(), "replicator-*.jsa")) {
          for (Path p : old) {
            Files.deleteIfExists(p);
          }
        }
        Files.move(
            archiveBeingWritten(),
            kept.resolveSibling(kept.getFileName() + ".part"),
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.move(
            kept.resolveSibling(kept.getFileName() + ".part"),
            kept,
            java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      }
    } catch (IllegalThreadStateException | IOException e) {
      Bench.note("no class-data archive for faster starts: " + e);
    }
  }

  private static String describe(Map<String, String> vars) {
    StringBuilder text = new StringBuilder();
    vars.forEach(
        (k, v) -> {
          if (v != null && !k.contains("TOKEN") && !k.contains("KEY") && !k.contains("PASSWORD")) {
            text.append(k).append('=').append(v).append(' ');
          }
        });
    return text.toString();
  }

  private void awaitHealthy() {
    long deadline = System.currentTimeMillis() + 300_000;
    for (Node node : nodes) {
      while (true) {
        if (!node.process().isAlive()) {
          throw new IllegalStateException(
              node.name()
                  + " exited at start-up; last lines of "
                  + node.log()
                  + ":\n"
                  + lastLines(node.log(), 30));
        }
        try {
          HttpResponse<String> health =
              HTTP.send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + "/health"))
                      .timeout(Duration.ofSeconds(5))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
          if (health.statusCode() == 200) {
            break;
          }
        } catch (IOException e) {
          // not up yet
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
        if (System.currentTimeMillis() > deadline) {
          throw new IllegalStateException(
              node.name() + " did not become healthy in 300 s; see " + node.log());
        }
        Sys.sleep(250);
      }
    }
  }

  static String lastLines(Path file, int n) {
    try {
      List<String> lines = Files.readAllLines(file);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
    } catch (IOException e) {
      return "(unreadable)";
    }
  }

  private void setUp() {
    tenant =
        post("/api/v1/tenants", ADMIN_TOKEN, Map.of("name", "bench-" + database))
            .get("id")
            .asText();
    token =
        post(path("/tokens"), ADMIN_TOKEN, Map.of("name", "bench", "role", "ADMIN"))
            .get("token")
            .asText();
    Map<String, Object> trustBody = new HashMap<>();
    trustBody.put("name", "rgw");
    trustBody.put("type", "STATIC");
    trustBody.put("endpoint", env.rgw().endpoint);
    trustBody.put("region", "us-east-1");
    trustBody.put("pathStyle", true);
    trustBody.put("compatibility", "S3_COMPATIBLE");
    trustBody.put("accessKeyId", BenchS3.ACCESS_KEY);
    trustBody.put("secretAccessKey", BenchS3.SECRET_KEY);
    trust = post(path("/trusts"), token, trustBody).get("id").asText();
  }

  String path(String suffix) {
    return "/api/v1/tenants/" + tenant + suffix;
  }

  private final AtomicInteger rules = new AtomicInteger();

  /** An enabled rule from one bucket to another on the RGW, change events only (no scans). */
  String rule(String source, String destination) {
    return rule(source, destination, 0);
  }

  /**
   * An enabled rule from one bucket to another that scans its source once a day: the benchmark
   * starts every pass itself ({@link #scanNow}).
   */
  String scanningRule(String source, String destination) {
    return rule(source, destination, 86400);
  }

  private String rule(String source, String destination, int scanIntervalSeconds) {
    int n = rules.incrementAndGet();
    return post(
            path("/rules"),
            token,
            Map.of(
                "name",
                "bench-" + n,
                "priority",
                n,
                "scanIntervalSeconds",
                scanIntervalSeconds,
                "source",
                Map.of("trustId", trust, "bucket", source),
                "destinations",
                List.of(Map.of("trustId", trust, "bucket", destination))))
        .get("id")
        .asText();
  }

  /**
   * Makes the rule's next scan pass due now (as the scheduler's own clock would a day later), and
   * returns when the last pass ended before, or "" if none has.
   */
  String scanNow(String ruleId) {
    String ended = lastScanEnd(ruleId);
    env.pg()
        .execute(
            database,
            "UPDATE rule_scans SET next_scan_at = now() - interval '1 second' WHERE rule_id = '"
                + ruleId
                + "'");
    return ended;
  }

  /** When the rule's last scan pass ended ("" if none has), as PostgreSQL prints it. */
  String lastScanEnd(String ruleId) {
    String ended =
        env.pg()
            .text(
                database,
                "SELECT coalesce(last_completed_at::text, '') FROM rule_scans"
                    + " WHERE rule_id = ?::uuid AND pass_started_at IS NULL",
                ruleId);
    return ended == null ? "" : ended;
  }

  /** Tasks the rule has queued, in any state. */
  long tasksOf(String ruleId) {
    return Long.parseLong(
        env.pg()
            .text(
                database,
                "SELECT count(*)::text FROM replication_tasks WHERE rule_id = ?::uuid",
                ruleId));
  }

  /** A batch job for the versions the rule never queued (status NONE). */
  String backfill(String ruleId) {
    return post(
            path("/batch-jobs"),
            token,
            Map.of("ruleId", ruleId, "filter", Map.of("replicationStatuses", List.of("NONE"))))
        .get("id")
        .asText();
  }

  JsonNode job(String jobId) {
    return get(path("/batch-jobs/" + jobId), token);
  }

  /**
   * The job's status, read from the database directly (as another role: not counted as Replicator's
   * statements).
   */
  String jobStatus(String jobId) {
    return env.pg().text(database, "SELECT status FROM batch_jobs WHERE id = ?::uuid", jobId);
  }

  /**
   * Seconds from {@code sinceMillis} to the last replica the job completed, from the task records.
   */
  double lastCompletionSeconds(String jobId, double sinceMillis) {
    String last =
        env.pg()
            .text(
                database,
                "SELECT extract(epoch FROM max(completed_at)) * 1000 FROM replication_tasks WHERE batch_job_id = ?::uuid",
                jobId);
    return last == null ? Double.NaN : (Double.parseDouble(last) - sinceMillis) / 1000.0;
  }

  /**
   * How the job's copy slots were used, from its task records (claim time {@code started_at}, one
   * value per claim statement; outcome time {@code completed_at}): tasks, distinct claims, seconds
   * from the first claim to the last outcome, the sum and the median of claim-to-outcome times
   * (seconds).
   */
  double[] slotUse(String jobId) {
    String[] row =
        env.pg()
            .rows(
                database,
                """
        SELECT count(*), count(DISTINCT started_at),
               extract(epoch FROM max(completed_at) - min(started_at)),
               extract(epoch FROM sum(completed_at - started_at)),
               extract(epoch FROM percentile_cont(0.5) WITHIN GROUP (ORDER BY completed_at - started_at))
          FROM replication_tasks WHERE batch_job_id = ?::uuid AND completed_at IS NOT NULL AND started_at IS NOT NULL""",
                jobId)
            .get(0);
    double[] use = new double[row.length];
    for (int i = 0; i < row.length; i++) {
      use[i] = row[i] == null ? Double.NaN : Double.parseDouble(row[i]);
    }
    return use;
  }

  /** Posts an S3 event notification for one new version. */
  void event(String bucket, String key, String versionId, long size) {
    Map<String, Object> record =
        Map.of(
            "eventVersion",
            "2.1",
            "eventSource",
            "aws:s3",
            "awsRegion",
            "us-east-1",
            "eventName",
            "ObjectCreated:Put",
            "eventTime",
            java.time.Instant.now().toString(),
            "s3",
            Map.of(
                "bucket",
                Map.of("name", bucket),
                "object",
                Map.of("key", key, "versionId", versionId, "size", size)));
    post(path("/events"), token, Map.of("Records", List.of(record)));
  }

  JsonNode post(String path, String bearer, Object body) {
    try {
      return send(
          HttpRequest.newBuilder(uri(path))
              .header("Authorization", "Bearer " + bearer)
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))),
          path);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  JsonNode get(String path, String bearer) {
    return send(
        HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + bearer).GET(), path);
  }

  private URI uri(String path) {
    Node api = nodes.stream().filter(n -> n.roles().contains("api")).findFirst().orElseThrow();
    return URI.create("http://127.0.0.1:" + api.port() + path);
  }

  private JsonNode send(HttpRequest.Builder request, String path) {
    try {
      HttpResponse<String> response =
          HTTP.send(
              request.timeout(Duration.ofSeconds(60)).build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() / 100 != 2) {
        throw new IllegalStateException(
            path + " answered " + response.statusCode() + ": " + response.body());
      }
      return response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
    } catch (IOException e) {
      throw new IllegalStateException(path + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** CPU seconds of each process, by name. */
  Map<String, Double> cpu() {
    Map<String, Double> cpu = new LinkedHashMap<>();
    for (Node node : nodes) {
      cpu.put(node.name(), Sys.cpuSeconds(node.pid(), true));
    }
    return cpu;
  }

  boolean logMentions(String text) {
    for (Node node : nodes) {
      try {
        if (Files.readString(node.log()).contains(text)) {
          return true;
        }
      } catch (IOException e) {
        // unreadable
      }
    }
    return false;
  }

  @Override
  public void close() {
    for (Node node : nodes) {
      node.process().destroy();
    }
    for (Node node : nodes) {
      Sys.stop(node.process(), node == archiver ? 60 : 30);
    }
    keepArchive();
    try {
      env.pg().dropDatabase(database);
    } catch (RuntimeException e) {
      Bench.note("could not drop " + database + ": " + e.getMessage());
    }
  }
}
