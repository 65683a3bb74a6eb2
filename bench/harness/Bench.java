import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.ObjectVersion;

/**
 * The benchmark behind bench/run: Replicator (the packaged jar, against a real PostgreSQL) against
 * a bare AWS SDK loop, rclone and the AWS CLI, all on one Ceph RGW on this machine, run by run in
 * alternation. bench/run starts RGW and PostgreSQL and passes them in; this program starts and
 * stops everything else. The report goes to stdout, progress to stderr.
 */
public final class Bench {

  /** What bench/run set up. */
  record Env(String java, Path jar, Path classes, Path work, Path logs, Rgw rgw, Pg pg) {}

  static final class Cfg {
    boolean quick;
    boolean custom;
    // The counts (10,000 small objects, 8 x 256 MiB) would take hours at Replicator's
    // present pace on two
    // cores: the full run uses 500 small objects and 4 x 128 MiB to finish in about 30 minutes
    // (--small-count etc.).
    int smallCount = 500;
    int smallSize = 64 << 10;

    /**
     * Objects each JVM-based tool (Replicator, the SDK loops) copies from a bucket of their own, in
     * the same process, before its timed run: Replicator is a server that runs for days, and the
     * JIT compilation of a fresh JVM (a third of its CPU in a 500-object run) is not what a
     * backfill on a running deployment pays. 0 measures them cold.
     */
    int warmupCount = 1000;

    int largeCount = 4;
    long largeSize = 128L << 20;

    /** Versions of the scan phase's source: the 100,000 (1 KiB each). */
    int scanCount = 100_000;

    long hugeSize = 2048L << 20;
    int runs = 3;
    int concurrency = 8;
    int liveSeconds = 30;
    double liveMax = Double.NaN;
    Set<String> phases =
        new LinkedHashSet<>(List.of("small", "large", "scale", "cost", "live", "memory", "scan"));
    Path out;
  }

  /** One measured run of one tool. */
  static final class Run {
    final String phase;
    final String tool;
    final String settings;
    final int round;
    String source;
    long objects;
    long bytes;
    double seconds = Double.NaN;
    double wallSeconds = Double.NaN;
    String problem;
    double toolCpu = Double.NaN;
    long toolRssKb = -1;
    double rgwCpu;
    double pgCpu;
    double machineCpu;
    Map<String, Integer> requests = new TreeMap<>();

    /** RGW's logged latency per operation, summed (seconds). */
    Map<String, Double> requestSeconds = new TreeMap<>();

    long dataStatements = -1;
    long controlStatements = -1;
    List<Pg.Statement_> statements = List.of();
    Map<String, Double> processCpu = new LinkedHashMap<>();
    double lastReplicaSeconds = Double.NaN;

    /**
     * Replicator: tasks, claims, first claim to last outcome (s), sum and median of
     * claim-to-outcome (s).
     */
    double[] slotUse;

    /** Copies in flight on average between the first claim and the last outcome. */
    double inFlight() {
      return slotUse == null ? Double.NaN : slotUse[3] / slotUse[2];
    }

    double tasksPerClaim() {
      return slotUse == null ? Double.NaN : slotUse[0] / slotUse[1];
    }

    double claimsPerSecond() {
      return slotUse == null ? Double.NaN : slotUse[1] / slotUse[2];
    }

    double taskMillis() {
      return slotUse == null ? Double.NaN : slotUse[4] * 1000;
    }

    Run(String phase, String tool, String settings, int round) {
      this.phase = phase;
      this.tool = tool;
      this.settings = settings;
      this.round = round;
    }

    boolean valid() {
      return problem == null && seconds > 0;
    }

    double objectsPerSecond() {
      return objects / seconds;
    }

    double mbPerSecond() {
      return bytes / 1e6 / seconds;
    }

    String key() {
      return settings + "/" + tool;
    }
  }

  static Env env;
  static Cfg cfg;
  // written by the main thread, read by the shutdown hook that prints the summary of an interrupted
  // run
  static final List<Run> RUNS = new CopyOnWriteArrayList<>();
  static final Map<String, String> TABLES = Collections.synchronizedMap(new LinkedHashMap<>());
  static final List<String> TARGETS = new CopyOnWriteArrayList<>();
  static final List<String> NOTES = new CopyOnWriteArrayList<>();

  /** The report: stdout, and the --out file when given. */
  static PrintStream OUT = new PrintStream(System.out, true, StandardCharsets.UTF_8);

  /**
   * Set once the summary is printed, or while the JVM shuts down (no new processes are started
   * then).
   */
  static final java.util.concurrent.atomic.AtomicBoolean SUMMARIZED =
      new java.util.concurrent.atomic.AtomicBoolean();

  static final String BENCH_UA = "replicator-bench";

  public static void main(String[] args) throws Exception {
    Map<String, String> a = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument " + arg);
      }
      if (arg.equals("--quick")) {
        a.put("quick", "true");
      } else {
        a.put(arg.substring(2), args[++i]);
      }
    }
    cfg = new Cfg();
    if (a.containsKey("quick")) {
      cfg.quick = true;
      // every phase and every tool once, at counts that keep the whole run under 5 minutes on 2
      // cores
      cfg.smallCount = 60;
      cfg.warmupCount = 60;
      cfg.largeCount = 1;
      cfg.largeSize =
          80L << 20; // above the 64 MiB multipart threshold: the multipart paths run too
      cfg.hugeSize = 128L << 20;
      cfg.liveSeconds = 5;
      cfg.scanCount = 2_000;
      cfg.runs = 1;
    }
    cfg.smallCount =
        Integer.parseInt(a.getOrDefault("small-count", Integer.toString(cfg.smallCount)));
    cfg.warmupCount = Integer.parseInt(a.getOrDefault("warmup", Integer.toString(cfg.warmupCount)));
    cfg.largeCount =
        Integer.parseInt(a.getOrDefault("large-count", Integer.toString(cfg.largeCount)));
    cfg.largeSize = mib(a.get("large-mib"), cfg.largeSize);
    cfg.hugeSize = mib(a.get("huge-mib"), cfg.hugeSize);
    cfg.runs = Integer.parseInt(a.getOrDefault("runs", Integer.toString(cfg.runs)));
    cfg.scanCount = Integer.parseInt(a.getOrDefault("scan-count", Integer.toString(cfg.scanCount)));
    cfg.concurrency =
        Integer.parseInt(a.getOrDefault("concurrency", Integer.toString(cfg.concurrency)));
    cfg.liveSeconds =
        Integer.parseInt(a.getOrDefault("live-seconds", Integer.toString(cfg.liveSeconds)));
    if (a.containsKey("live-max")) {
      cfg.liveMax = Double.parseDouble(a.get("live-max"));
    }
    if (a.containsKey("phases")) {
      cfg.phases = new LinkedHashSet<>(Arrays.asList(a.get("phases").split(",")));
    }
    if (a.containsKey("out")) {
      cfg.out = Path.of(a.get("out"));
      OUT =
          new PrintStream(
              new Tee(System.out, Files.newOutputStream(cfg.out)), true, StandardCharsets.UTF_8);
    }
    cfg.custom =
        a.keySet().stream()
            .anyMatch(
                k ->
                    List.of(
                            "small-count",
                            "warmup",
                            "large-count",
                            "large-mib",
                            "huge-mib",
                            "runs",
                            "live-seconds",
                            "scan-count",
                            "phases")
                        .contains(k));
    Path work = Path.of(a.get("work"));
    Path logs = work.resolve("logs");
    Files.createDirectories(logs);
    env =
        new Env(
            a.getOrDefault("java", "java"),
            Path.of(a.get("jar")),
            Path.of(a.get("classes")),
            work,
            logs,
            new Rgw(a.get("endpoint"), Path.of(a.get("rgw-dir"))),
            new Pg(Integer.parseInt(a.get("pg-port")), Path.of(a.get("pg-dir"))));

    header();
    double began = Sys.nowMillis();
    // Interrupted (bench/run's clean-up sends SIGTERM): the summary of the runs finished so far,
    // and no new processes.
    Thread printer =
        new Thread(
            () -> {
              Sys.STOPPING.set(true);
              if (!SUMMARIZED.get()) {
                note("interrupted: the summary covers the runs finished before the signal");
                summary((Sys.nowMillis() - began) / 1000.0);
              }
            });
    Runtime.getRuntime().addShutdownHook(printer);
    try {
      if (cfg.phases.contains("small")) {
        smallBackfill();
      }
      if (cfg.phases.contains("large")) {
        largeBackfill();
      }
      if (cfg.phases.contains("scale")) {
        scaleOut();
      }
      if (cfg.phases.contains("cost")) {
        cost();
      }
      if (cfg.phases.contains("live")) {
        liveLatency();
      }
      if (cfg.phases.contains("memory")) {
        memory();
      }
      if (cfg.phases.contains("scan")) {
        scan();
      }
    } catch (Exception e) {
      note("the benchmark stopped early: " + e);
      e.printStackTrace();
    }
    summary((Sys.nowMillis() - began) / 1000.0);
  }

  static long mib(String value, long fallback) {
    return value == null ? fallback : Long.parseLong(value) << 20;
  }

  // --- output
  // ---------------------------------------------------------------------------------------------------------

  static String header;

  static void header() {
    String mode =
        cfg.quick
            ? "--quick (small counts: figures are indicative only)"
            : cfg.custom ? "custom counts or phases" : "full";
    header =
        String.format(
            Locale.ROOT,
            """
        # Replicator benchmark (bench/run), %s
        # %s, %d cores, load average at start %s, %s
        # RGW (Ceph %s, one memstore OSD) at %s; PostgreSQL %s; %s; rclone %s; aws-cli %s
        # small: %d x %d KiB; large: %d x %d MiB; memory: %d MiB; %d runs per tool, alternating; equal concurrency %d
        """,
            mode,
            LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME).substring(0, 19),
            Sys.cores(),
            Sys.loadAverage(),
            machine(),
            version("ceph-osd", "--version"),
            env.rgw.endpoint,
            env.pg.text("postgres", "SHOW server_version"),
            javaVersion(),
            version("rclone", "version"),
            version("aws", "--version").replace("aws-cli/", ""),
            cfg.smallCount,
            cfg.smallSize >> 10,
            cfg.largeCount,
            cfg.largeSize >> 20,
            cfg.hugeSize >> 20,
            cfg.runs,
            cfg.concurrency);
    OUT.print(header);
  }

  static String machine() {
    try {
      String model =
          Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
              .filter(l -> l.startsWith("model name"))
              .findFirst()
              .map(l -> l.substring(l.indexOf(':') + 1).trim())
              .orElse("?");
      long memKb =
          Files.readAllLines(Path.of("/proc/meminfo")).stream()
              .filter(l -> l.startsWith("MemTotal"))
              .findFirst()
              .map(l -> Long.parseLong(l.replaceAll("\\D", "")))
              .orElse(0L);
      return model + ", " + (memKb >> 20) + " GiB RAM";
    } catch (IOException e) {
      return "?";
    }
  }

  static String javaVersion() {
    return "Java " + System.getProperty("java.version");
  }

  static String version(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      p.waitFor(30, TimeUnit.SECONDS);
      String[] words = text.split("\\s+");
      for (String w : words) {
        String v = w.replaceFirst("^[\\w-]*/", "");
        if (v.matches("v?\\d+\\.\\d+[\\w.-]*")) {
          return v;
        }
      }
      return text.lines().findFirst().orElse("?");
    } catch (IOException | InterruptedException e) {
      return "?";
    }
  }

  static void progress(String text) {
    System.err.printf(
        "[%s] %s%n", LocalDateTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss")), text);
  }

  static void note(String text) {
    NOTES.add(text);
    progress("NOTE: " + text);
  }

  static void table(String title, String body) {
    TABLES.put(title, body);
    OUT.println();
    OUT.println("== " + title);
    OUT.print(body);
  }

  static void target(String name, String measured, String goal, boolean pass) {
    TARGETS.add(
        String.format(
            Locale.ROOT, "target %s %s %s %s", name, measured, goal, pass ? "PASS" : "FAIL"));
  }

  static void targetUnmeasured(String name, String goal, String why) {
    TARGETS.add(String.format(Locale.ROOT, "target %s n/a %s FAIL", name, goal));
    note(name + " not measured: " + why);
  }

  static void summary(double seconds) {
    if (!SUMMARIZED.compareAndSet(false, true)) {
      return;
    }
    OUT.println();
    OUT.println("== Summary");
    OUT.print(header);
    for (Map.Entry<String, String> t : new ArrayList<>(TABLES.entrySet())) {
      OUT.println();
      OUT.println("-- " + t.getKey());
      OUT.print(t.getValue());
    }
    OUT.println();
    OUT.println("-- Runs (every measured run, in the order run; seconds as used for the rates)");
    OUT.println(
        "  phase settings tool round objects bytes seconds last-replica-s tool-cpu-s rgw-cpu-s pg-cpu-s machine-cpu-s"
            + " peak-rss-mib s3-requests sql-statements problem");
    for (Run r : RUNS) {
      OUT.printf(
          Locale.ROOT,
          "  %s %s %s %d %d %d %.3f %.3f %.2f %.2f %.2f %.2f %d %d %d %s%n",
          r.phase,
          r.settings,
          r.tool,
          r.round,
          r.objects,
          r.bytes,
          r.seconds,
          r.lastReplicaSeconds,
          r.toolCpu,
          r.rgwCpu,
          r.pgCpu,
          r.machineCpu,
          r.toolRssKb >> 10,
          r.requests.values().stream().mapToInt(Integer::intValue).sum(),
          r.dataStatements,
          r.problem == null ? "-" : r.problem.replaceAll("\\s+", " "));
    }
    if (!NOTES.isEmpty()) {
      OUT.println();
      OUT.println("-- Notes");
      NOTES.forEach(n -> OUT.println("  - " + n));
    }
    OUT.println();
    OUT.printf(
        Locale.ROOT, "# took %.0f s; load average at the end %s%n", seconds, Sys.loadAverage());
    for (String t : TARGETS) {
      OUT.println(t);
    }
    OUT.flush();
  }

  // --- measuring
  // ------------------------------------------------------------------------------------------------------

  /**
   * Machine-wide accounting around a run: RGW and PostgreSQL CPU, the whole machine's CPU, the RGW
   * log.
   */
  static final class Window {
    final double rgw0 = env.rgw.cpuSeconds();
    final double pg0 = env.pg.cpuSeconds();
    final long[] machine0 = Sys.machineJiffies();
    final long log0 = env.rgw.logOffset();

    void close(Run run, String excludeAgent) {
      Sys.sleep(300); // the log line of the last request is written after its answer
      run.rgwCpu = env.rgw.cpuSeconds() - rgw0;
      run.pgCpu = env.pg.cpuSeconds() - pg0;
      long[] machine1 = Sys.machineJiffies();
      run.machineCpu = (machine1[0] - machine0[0]) / Sys.HZ;
      run.requests =
          env.rgw.requests(log0, env.rgw.logOffset(), excludeAgent, run.source, run.requestSeconds);
    }
  }

  /** A tool to compare: how to run it from a source bucket to a destination bucket. */
  interface Tool {
    String name();

    String settings();

    void run(Run run, String source, String destination) throws Exception;
  }

  record Sdk(String name, String settings, String mode, int concurrency) implements Tool {
    @Override
    public void run(Run run, String source, String destination) {
      // the JVM flags Replicator runs with, so that the loop is the limit of an SDK-based copy on
      // the same JVM
      List<String> command = new ArrayList<>(List.of(env.java));
      command.addAll(Replicator.JVM_FLAGS);
      command.addAll(
          List.of(
              "-cp",
              env.classes + ":" + env.jar,
              "SdkLoop",
              mode,
              env.rgw.endpoint,
              source,
              destination,
              Integer.toString(concurrency),
              Long.toString(64L << 20),
              Long.toString(16L << 20),
              "4"));
      String scratch = destination + "-warm";
      if (warmsUp(source)) {
        env.rgw.createBucket(scratch, true);
        command.addAll(List.of(warmupSource(source), scratch));
      }
      Window w = new Window();
      Sys.Timed t;
      try {
        t =
            Sys.timed(
                command,
                Map.of(
                    "BENCH_STORE_PIDS",
                    env.rgw.daemons().values().stream()
                        .map(String::valueOf)
                        .collect(java.util.stream.Collectors.joining(","))),
                env.logs.resolve("sdk-loop.log"),
                7200);
      } finally {
        if (warmsUp(source)) {
          env.rgw.deleteBucket(scratch);
        }
      }
      w.close(run, null);
      run.wallSeconds = t.wallSeconds();
      run.toolRssKb = t.maxRssKb();
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile(
                  "sdk-loop objects=(\\d+) bytes=(\\d+) seconds=([\\d.]+) cpu=([\\d.]+) store_cpu=([\\d.]+) machine_cpu=([\\d.]+)")
              .matcher(t.output());
      if (t.exit() != 0 || !m.find()) {
        run.problem = "exit " + t.exit() + ": " + lastLine(t.output());
        return;
      }
      run.seconds =
          Double.parseDouble(
              m.group(3)); // in-process: listing and copies, JVM start-up and warm-up excluded
      // the process's, RGW's and the machine's CPU over the same span (the Window's would count the
      // warm-up)
      run.toolCpu = Double.parseDouble(m.group(4));
      run.rgwCpu = Double.parseDouble(m.group(5));
      run.machineCpu = Double.parseDouble(m.group(6));
    }
  }

  record Rclone(String name, String settings, List<String> flags) implements Tool {
    @Override
    public void run(Run run, String source, String destination) throws IOException {
      Path config = env.work.resolve("rclone.conf");
      if (!Files.exists(config)) {
        Files.writeString(
            config,
            """
            [rgw]
            type = s3
            provider = Other
            env_auth = false
            access_key_id = %s
            secret_access_key = %s
            endpoint = %s
            region = us-east-1
            force_path_style = true
            list_version = 2
            """
                .formatted(BenchS3.ACCESS_KEY, BenchS3.SECRET_KEY, env.rgw.endpoint));
      }
      List<String> command =
          new ArrayList<>(List.of("rclone", "copy", "rgw:" + source, "rgw:" + destination));
      command.addAll(flags);
      Map<String, String> vars = new HashMap<>();
      vars.put("RCLONE_CONFIG", config.toString());
      vars.put(
          "AWS_CA_BUNDLE",
          null); // rclone fails with LoadCustomCABundleError when it is set (NOTES.md)
      external(run, command, vars, "rclone.log");
    }
  }

  record Aws(String name, String settings, Map<String, String> s3Settings) implements Tool {
    @Override
    public void run(Run run, String source, String destination) throws IOException {
      Path config =
          env.work.resolve("aws-" + name + "-" + settings.replaceAll("\\W", "") + ".conf");
      StringBuilder text =
          new StringBuilder(
              "[default]\nregion = us-east-1\n"
                  + "request_checksum_calculation = when_required\nresponse_checksum_validation = when_required\ns3 =\n"
                  + "  addressing_style = path\n");
      s3Settings.forEach(
          (k, v) -> text.append("  ").append(k).append(" = ").append(v).append('\n'));
      Files.writeString(config, text.toString());
      List<String> command =
          List.of(
              "aws",
              "--endpoint-url",
              env.rgw.endpoint,
              "s3",
              "sync",
              "s3://" + source,
              "s3://" + destination,
              "--only-show-errors");
      Map<String, String> vars = new HashMap<>();
      vars.put("AWS_CONFIG_FILE", config.toString());
      vars.put("AWS_SHARED_CREDENTIALS_FILE", env.work.resolve("no-credentials").toString());
      vars.put("AWS_ACCESS_KEY_ID", BenchS3.ACCESS_KEY);
      vars.put("AWS_SECRET_ACCESS_KEY", BenchS3.SECRET_KEY);
      vars.put("AWS_CA_BUNDLE", null);
      vars.put("AWS_PROFILE", null);
      external(run, command, vars, "aws.log");
    }
  }

  static void external(Run run, List<String> command, Map<String, String> vars, String log) {
    Window w = new Window();
    Sys.Timed t = Sys.timed(command, vars, env.logs.resolve(log), 7200);
    w.close(run, null);
    run.seconds = t.wallSeconds(); // the command's wall time, its start-up included
    run.wallSeconds = t.wallSeconds();
    run.toolCpu = t.cpuSeconds();
    run.toolRssKb = t.maxRssKb();
    if (t.exit() != 0) {
      run.problem = "exit " + t.exit() + ": " + lastLine(t.output());
    }
  }

  static String lastLine(String text) {
    String[] lines = text.strip().split("\n");
    return lines.length == 0 ? "" : lines[lines.length - 1];
  }

  /**
   * Replicator: a deployment started for the run (not timed), then a batch job timed from its POST
   * to COMPLETED.
   */
  record ReplicatorTool(String name, String settings, Supplier<List<Replicator.Spec>> specs)
      implements Tool {
    @Override
    public void run(Run run, String source, String destination) {
      try (Replicator r = Replicator.start(env, specs.get())) {
        if (warmsUp(source)) {
          String scratch = destination + "-warm";
          env.rgw.createBucket(scratch, true);
          try {
            String warmup = awaitJob(r, r.backfill(r.rule(warmupSource(source), scratch)));
            if (!"COMPLETED".equals(warmup)) {
              throw new IllegalStateException("the warm-up job ended " + warmup);
            }
          } finally {
            env.rgw.deleteBucket(scratch);
          }
        }
        String rule = r.rule(source, destination);
        Map<String, Double> cpu0 = r.cpu();
        env.pg.resetStatements();
        Window w = new Window();
        double t0 = Sys.nowMillis();
        String job = r.backfill(rule);
        String status = awaitJob(r, job);
        if (status == null) {
          run.problem = "job still running after 4 h";
        }
        double t1 = Sys.nowMillis();
        run.seconds = (t1 - t0) / 1000.0;
        run.wallSeconds = run.seconds;
        run.lastReplicaSeconds = r.lastCompletionSeconds(job, t0);
        run.slotUse = r.slotUse(job);
        w.close(run, BENCH_UA);
        List<Pg.Statement_> statements = env.pg.statements(r.database);
        Map<String, Double> cpu1 = r.cpu();
        run.statements = statements;
        run.dataStatements = Pg.Statement_.calls(statements, false);
        run.controlStatements = Pg.Statement_.calls(statements, true);
        double total = 0;
        for (String node : cpu1.keySet()) {
          double used = cpu1.get(node) - cpu0.getOrDefault(node, 0.0);
          run.processCpu.put(node, used);
          total += used;
        }
        run.toolCpu = total;
        for (Replicator.Node node : r.nodes) {
          run.toolRssKb = Math.max(run.toolRssKb, Sys.statusKb(node.pid(), "VmHWM"));
        }
        JsonNode outcome = r.job(job);
        if (run.problem == null && !"COMPLETED".equals(status)) {
          run.problem = "job " + status + ": " + outcome.path("statusDetail").asText();
        }
        if (run.problem == null && outcome.path("failed").asLong() > 0) {
          run.problem = outcome.path("failed").asLong() + " tasks FAILED (see the job's report)";
        }
      }
    }
  }

  /**
   * Whether a JVM-based tool copies the warm-up bucket before its timed run from {@code source}.
   */
  static boolean warmsUp(String source) {
    return warmupSource(source) != null;
  }

  /**
   * What a JVM tool copies before its timed run from {@code source}: small versions for the small
   * phase, a few versions above Replicator's server-side copy threshold for the large one; null for
   * none.
   */
  static String warmupSource(String source) {
    if (cfg.warmupCount <= 0) {
      return null;
    }
    return source.equals(SMALL_SOURCE)
        ? WARMUP_SOURCE
        : source.equals(LARGE_SOURCE) ? WARMUP_LARGE_SOURCE : null;
  }

  /** Waits for a batch job to end: its status, or null after 4 hours. */
  static String awaitJob(Replicator r, String job) {
    long deadline = System.currentTimeMillis() + 4 * 3600_000L;
    while (System.currentTimeMillis() < deadline) {
      String status = r.jobStatus(job);
      if ("COMPLETED".equals(status) || "FAILED".equals(status) || "CANCELLED".equals(status)) {
        return status;
      }
      for (Replicator.Node node : r.nodes) {
        if (!node.process().isAlive()) {
          throw new IllegalStateException(node.name() + " died; see " + node.log());
        }
      }
      Sys.sleep(20); // a short job's end is measured to 20 ms, not to the poll's period
    }
    return null;
  }

  /**
   * Runs one tool once into a fresh versioned destination bucket, checks what arrived, deletes the
   * bucket.
   */
  static Run measure(String phase, Tool tool, int round, String source, long objects, long bytes) {
    Run run = new Run(phase, tool.name(), tool.settings(), round);
    run.source = source;
    String destination =
        (phase + "-" + tool.name() + "-" + tool.settings() + "-" + round)
            .toLowerCase(Locale.ROOT)
            .replaceAll("[^a-z0-9-]", "-")
            .replaceAll("-+", "-");
    progress(
        String.format(
            "%s: round %d/%d, %s (%s)", phase, round, cfg.runs, tool.name(), tool.settings()));
    env.rgw.createBucket(destination, true);
    try {
      tool.run(run, source, destination);
      long[] arrived = env.rgw.countObjects(destination, "");
      run.objects = arrived[0];
      run.bytes = arrived[1];
      if (run.problem == null && (arrived[0] != objects || arrived[1] != bytes)) {
        run.problem =
            String.format(
                "destination has %d objects / %d bytes, expected %d / %d",
                arrived[0], arrived[1], objects, bytes);
      }
    } catch (Exception e) {
      run.problem = e.toString();
    } finally {
      env.rgw.deleteBucket(destination);
      if (bytes / Math.max(1, objects) > (8 << 20)) {
        env.rgw.collectGarbage();
      }
    }
    if (run.problem != null) {
      note(
          String.format(
              "%s %s (%s) round %d: %s", phase, tool.name(), tool.settings(), round, run.problem));
    } else {
      progress(
          String.format(
              "  %.2f s, %.1f objects/s, %.1f MB/s",
              run.seconds, run.objectsPerSecond(), run.mbPerSecond()));
    }
    RUNS.add(run);
    return run;
  }

  /** Every tool once per round, in an order that rotates from round to round. */
  static void rounds(String phase, List<Tool> tools, String source, long objects, long bytes) {
    for (int round = 1; round <= cfg.runs; round++) {
      List<Tool> order = new ArrayList<>(tools);
      Collections.rotate(order, -(round - 1) * Math.max(1, tools.size() / Math.max(1, cfg.runs)));
      for (Tool tool : order) {
        measure(phase, tool, round, source, objects, bytes);
      }
    }
  }

  static List<Run> runs(String phase, String settings, String tool) {
    return RUNS.stream()
        .filter(
            r ->
                r.phase.equals(phase)
                    && r.settings.equals(settings)
                    && r.tool.equals(tool)
                    && r.valid())
        .toList();
  }

  static double medianOf(List<Run> runs, java.util.function.ToDoubleFunction<Run> f) {
    return Sys.median(runs.stream().map(r -> f.applyAsDouble(r)).toList());
  }

  // --- tools
  // ----------------------------------------------------------------------------------------------------------

  static final String DEFAULTS = "defaults";

  static String equal() {
    return "equal-" + cfg.concurrency;
  }

  /**
   * Replicator with its defaults, or with {@code concurrency} copies for batch jobs (plus the live
   * reserve of 2).
   */
  static Tool replicator(String settings, Map<String, String> vars) {
    return new ReplicatorTool(
        "replicator", settings, () -> List.of(Replicator.Spec.allInOne(vars, List.of())));
  }

  static Map<String, String> equalReplicator() {
    // batch jobs never take the live reserve (REPLICATOR_WORKER_LIVE_RESERVE, default 2):
    // concurrency + 2 slots
    // give a backfill exactly `concurrency` copies in flight, as many as the baselines run
    return Map.of("REPLICATOR_WORKER_CONCURRENCY", Integer.toString(cfg.concurrency + 2));
  }

  static List<Tool> tools(boolean large) {
    int c = cfg.concurrency;
    List<String> rcloneEqual =
        new ArrayList<>(
            List.of("--transfers", Integer.toString(c), "--checkers", Integer.toString(c)));
    Map<String, String> awsEqual = new LinkedHashMap<>();
    if (large) {
      rcloneEqual.addAll(
          List.of(
              "--s3-upload-concurrency",
              "4",
              "--s3-chunk-size",
              "16M",
              "--s3-upload-cutoff",
              "64M"));
      awsEqual.put("max_concurrent_requests", Integer.toString(c * 4));
      awsEqual.put("multipart_threshold", "64MB");
      awsEqual.put("multipart_chunksize", "16MB");
    } else {
      awsEqual.put("max_concurrent_requests", Integer.toString(c));
    }
    List<String> rcloneStream = new ArrayList<>(rcloneEqual);
    rcloneStream.addAll(List.of("--disable", "copy"));
    String eq = equal();
    return List.of(
        replicator(eq, equalReplicator()),
        new Sdk("sdk-stream", eq, "stream", c),
        new Sdk("sdk-copy", eq, "copy", c),
        new Rclone("rclone", eq, rcloneEqual),
        new Rclone("rclone-stream", eq, rcloneStream),
        new Aws("aws-s3-sync", eq, awsEqual),
        replicator(DEFAULTS, Map.of()),
        new Rclone("rclone", DEFAULTS, List.of()),
        new Aws("aws-s3-sync", DEFAULTS, Map.of()));
  }

  /**
   * The large phase's tools; --quick leaves out the default settings there (no target uses them; it
   * saves time).
   */
  static List<Tool> largeTools() {
    return tools(true).stream().filter(t -> !cfg.quick || !t.settings().equals(DEFAULTS)).toList();
  }

  static final List<String> BASELINES =
      List.of("sdk-stream", "sdk-copy", "rclone", "rclone-stream", "aws-s3-sync");

  // --- 1. small objects
  // -------------------------------------------------------------------------------------------

  static final String SMALL_SOURCE = "bench-small-src";
  static final String WARMUP_SOURCE = "bench-warmup-src";
  static boolean smallFilled;

  static void fillSmall() throws Exception {
    if (smallFilled) {
      return;
    }
    progress(
        String.format(
            "filling %s with %d x %d KiB", SMALL_SOURCE, cfg.smallCount, cfg.smallSize >> 10));
    env.rgw.createBucket(SMALL_SOURCE, true);
    env.rgw.fill(SMALL_SOURCE, "obj/", cfg.smallCount, cfg.smallSize, 32);
    if (cfg.warmupCount > 0) {
      progress(
          String.format(
              "filling %s with %d x %d KiB (the JVM tools' warm-up)",
              WARMUP_SOURCE, cfg.warmupCount, cfg.smallSize >> 10));
      env.rgw.createBucket(WARMUP_SOURCE, true);
      env.rgw.fill(WARMUP_SOURCE, "warm/", cfg.warmupCount, cfg.smallSize, 32);
    }
    smallFilled = true;
    Sys.sleep(
        1500); // the rules created next must be younger than every version (liveSince): NONE for
    // the batch job
  }

  static void smallBackfill() throws Exception {
    fillSmall();
    rounds(
        "small", tools(false), SMALL_SOURCE, cfg.smallCount, (long) cfg.smallCount * cfg.smallSize);
    String title =
        String.format(
            "1. Backfill, small objects: %d x %d KiB, %d runs each (median [min-max])",
            cfg.smallCount, cfg.smallSize >> 10, cfg.runs);
    table(title, throughputTable("small", tools(false), true));
    double rep = medianOf(runs("small", equal(), "replicator"), Run::objectsPerSecond);
    double best = 0;
    String bestName = "?";
    for (String b : BASELINES) {
      double v = medianOf(runs("small", equal(), b), Run::objectsPerSecond);
      if (v > best) {
        best = v;
        bestName = b;
      }
    }
    ratioTarget("small-backfill-vs-fastest-baseline-" + bestName, rep / best, 0.9);
    double repDefault = medianOf(runs("small", DEFAULTS, "replicator"), Run::objectsPerSecond);
    ratioTarget(
        "out-of-box-vs-rclone",
        repDefault / medianOf(runs("small", DEFAULTS, "rclone"), Run::objectsPerSecond),
        1.5);
    ratioTarget(
        "out-of-box-vs-aws-s3-sync",
        repDefault / medianOf(runs("small", DEFAULTS, "aws-s3-sync"), Run::objectsPerSecond),
        1.5);
  }

  static void ratioTarget(String name, double ratio, double goal) {
    if (Double.isNaN(ratio) || Double.isInfinite(ratio)) {
      targetUnmeasured(
          name,
          String.format(Locale.ROOT, ">=%.2fx", goal),
          "a run it needs failed or did not run");
      return;
    }
    target(
        name,
        String.format(Locale.ROOT, "%.3fx", ratio),
        String.format(Locale.ROOT, ">=%.2fx", goal),
        ratio >= goal);
  }

  /**
   * Medians and spread per tool; ratios to the fastest baseline of the same settings (objects/s or
   * MB/s).
   */
  static String throughputTable(String phase, List<Tool> tools, boolean perObject) {
    StringBuilder t = new StringBuilder();
    t.append(
        String.format(
            Locale.ROOT,
            "  %-10s %-14s %-24s %-22s %-7s %-9s %-9s %-9s %-9s %s%n",
            "settings",
            "tool",
            perObject ? "objects/s" : "MB/s",
            perObject ? "MB/s" : "objects/s",
            "ratio",
            "tool cpu",
            "RGW cpu",
            "PG cpu",
            "machine",
            "RSS MiB"));
    for (String settings : List.of(equal(), DEFAULTS)) {
      double best = 0;
      for (Tool tool : tools) {
        if (tool.settings().equals(settings) && BASELINES.contains(tool.name())) {
          List<Run> r = runs(phase, settings, tool.name());
          best = Math.max(best, medianOf(r, perObject ? Run::objectsPerSecond : Run::mbPerSecond));
        }
      }
      for (Tool tool : tools) {
        if (!tool.settings().equals(settings)) {
          continue;
        }
        List<Run> r = runs(phase, settings, tool.name());
        long failed =
            RUNS.stream()
                .filter(
                    x ->
                        x.phase.equals(phase)
                            && x.key().equals(settings + "/" + tool.name())
                            && !x.valid())
                .count();
        List<Double> ops = r.stream().map(Run::objectsPerSecond).toList();
        List<Double> mbs = r.stream().map(Run::mbPerSecond).toList();
        double main = Sys.median(perObject ? ops : mbs);
        // CPU figures in cores (CPU seconds per second of the run)
        t.append(
            String.format(
                Locale.ROOT,
                "  %-10s %-14s %-24s %-22s %-7s %-9s %-9s %-9s %-9s %s%s%n",
                settings,
                tool.name(),
                Sys.spread(perObject ? ops : mbs, "%.1f"),
                Sys.spread(perObject ? mbs : ops, "%.2f"),
                best > 0 ? String.format(Locale.ROOT, "%.3f", main / best) : "-",
                cores(r, x -> x.toolCpu),
                cores(r, x -> x.rgwCpu),
                cores(r, x -> x.pgCpu),
                cores(r, x -> x.machineCpu),
                r.isEmpty()
                    ? "-"
                    : String.format(Locale.ROOT, "%.0f", medianOf(r, x -> x.toolRssKb / 1024.0)),
                failed > 0 ? "  (" + failed + " run(s) failed, see notes)" : ""));
      }
    }
    for (Tool tool : tools) {
      if (tool.name().startsWith("replicator")) {
        List<Run> r = runs(phase, tool.settings(), tool.name());
        if (!r.isEmpty()) {
          t.append(
              String.format(
                  Locale.ROOT,
                  "  %s %s: the last replica was written %s s after the POST, of %s s until the job"
                      + " showed COMPLETED%n",
                  tool.name(),
                  tool.settings(),
                  Sys.spread(r.stream().map(x -> x.lastReplicaSeconds).toList(), "%.1f"),
                  Sys.spread(r.stream().map(x -> x.seconds).toList(), "%.1f")));
          t.append(
              "    " + slotLine(r, tool.settings().equals(DEFAULTS) ? 6 : cfg.concurrency) + "\n");
        }
      }
    }
    t.append(
        "  ratio: to the fastest baseline with the same settings. CPU columns: cores busy on average during the run\n"
            + "  (CPU seconds / wall seconds): the tool's processes, RGW (radosgw + OSD + mon), PostgreSQL, the whole machine.\n"
            + "  Replicator: from the batch job's POST to COMPLETED; sdk-*: the loop's own time (JVM start and client set-up excluded); rclone,\n"
            + "  aws: the command's wall time. Replicator "
            + equal()
            + " = REPLICATOR_WORKER_CONCURRENCY="
            + (cfg.concurrency + 2)
            + " ("
            + cfg.concurrency
            + " batch copy slots + the live reserve of 2); defaults = 8 (6 for batch jobs).\n");
    return t.toString();
  }

  /**
   * How full Replicator kept its batch copy slots (from the task records: claimed to outcome, so
   * tasks claimed ahead of a free slot count too), median [min-max] over runs.
   */
  static String slotLine(List<Run> r, int slots) {
    return String.format(
        Locale.ROOT,
        "tasks held (copying or claimed ahead) on average %s for %d batch slots; %s claims/s of"
            + " %s tasks each; claim to outcome %s ms (median)",
        Sys.spread(r.stream().map(Run::inFlight).toList(), "%.2f"),
        slots,
        Sys.spread(r.stream().map(Run::claimsPerSecond).toList(), "%.2f"),
        Sys.spread(r.stream().map(Run::tasksPerClaim).toList(), "%.1f"),
        Sys.spread(r.stream().map(Run::taskMillis).toList(), "%.0f"));
  }

  static String cores(List<Run> runs, java.util.function.ToDoubleFunction<Run> cpu) {
    if (runs.isEmpty()) {
      return "-";
    }
    double v = medianOf(runs, r -> cpu.applyAsDouble(r) / r.wallSeconds);
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f", v);
  }

  // --- 2. large objects
  // -------------------------------------------------------------------------------------------

  static final String LARGE_SOURCE = "bench-large-src";
  static final String WARMUP_LARGE_SOURCE = "bench-warmup-large-src";
  static final int WARMUP_LARGE_COUNT = 4;
  static final long WARMUP_LARGE_SIZE = 2L << 20;

  static void largeBackfill() throws Exception {
    progress(
        String.format(
            "filling %s with %d x %d MiB", LARGE_SOURCE, cfg.largeCount, cfg.largeSize >> 20));
    env.rgw.createBucket(LARGE_SOURCE, true);
    for (int i = 0; i < cfg.largeCount; i++) {
      env.rgw.fillLarge(LARGE_SOURCE, String.format("large/%03d", i), cfg.largeSize);
    }
    if (warmsUp(LARGE_SOURCE)) {
      env.rgw.createBucket(WARMUP_LARGE_SOURCE, true);
      for (int i = 0; i < WARMUP_LARGE_COUNT; i++) {
        env.rgw.fillLarge(WARMUP_LARGE_SOURCE, String.format("warm/%03d", i), WARMUP_LARGE_SIZE);
      }
    }
    Sys.sleep(1500);
    rounds("large", largeTools(), LARGE_SOURCE, cfg.largeCount, cfg.largeCount * cfg.largeSize);
    table(
        String.format(
            "2. Backfill, large objects: %d x %d MiB, %d runs each (median [min-max])",
            cfg.largeCount, cfg.largeSize >> 20, cfg.runs),
        throughputTable("large", largeTools(), false)
            + "  large-object settings for every tool: 16 MiB parts, 4 parts of an object at a time, multipart above 64 MiB\n"
            + "  (Replicator's defaults); aws max_concurrent_requests = "
            + cfg.concurrency * 4
            + " in "
            + equal()
            + ".\n");
    double rep = medianOf(runs("large", equal(), "replicator"), Run::mbPerSecond);
    StringBuilder info =
        new StringBuilder("  Replicator " + equal() + " against each baseline (MB/s ratio):");
    for (String b : BASELINES) {
      info.append(
          String.format(
              Locale.ROOT,
              " %s %.3f",
              b,
              rep / medianOf(runs("large", equal(), b), Run::mbPerSecond)));
    }
    TABLES.computeIfPresent(
        TABLES.keySet().stream().filter(k -> k.startsWith("2.")).findFirst().orElse(""),
        (k, v) ->
            v
                + info
                + "\n  rclone and aws s3 sync copy server-side (CopyObject); RGW appears to copy a whole object by reference\n"
                + "  (tail objects shared, no data moved), so their MB/s are not bytes transferred. sdk-copy uses UploadPartCopy\n"
                + "  above 64 MiB, which RGW does copy. Replicator copies server-side versions above 1 MiB\n"
                + "  (REPLICATOR_SERVER_SIDE_COPY_ABOVE; CopyObject up to 5 GiB, as rclone) and streams smaller ones.\n");
    OUT.println(info);
    ratioTarget(
        "large-backfill-vs-sdk-stream-loop",
        rep / medianOf(runs("large", equal(), "sdk-stream"), Run::mbPerSecond),
        0.9);
    ratioTarget(
        "large-backfill-vs-rclone",
        rep / medianOf(runs("large", equal(), "rclone"), Run::mbPerSecond),
        1.0);
    env.rgw.deleteBucket(LARGE_SOURCE);
    if (warmsUp(LARGE_SOURCE)) {
      env.rgw.deleteBucket(WARMUP_LARGE_SOURCE);
    }
    env.rgw.collectGarbage();
  }

  // --- 6. scale-out
  // -----------------------------------------------------------------------------------------------

  static Tool split(int workers) {
    return new ReplicatorTool(
        "replicator-" + workers + "w",
        DEFAULTS,
        () -> {
          List<Replicator.Spec> specs = new ArrayList<>();
          specs.add(new Replicator.Spec("api-scheduler", "api,scheduler", Map.of(), List.of()));
          for (int i = 1; i <= workers; i++) {
            specs.add(new Replicator.Spec("worker-" + i, "worker", Map.of(), List.of()));
          }
          return specs;
        });
  }

  static void scaleOut() throws Exception {
    fillSmall();
    List<Tool> tools = List.of(split(1), split(2));
    rounds("scale", tools, SMALL_SOURCE, cfg.smallCount, (long) cfg.smallCount * cfg.smallSize);
    StringBuilder t = new StringBuilder();
    t.append(
        String.format(
            Locale.ROOT,
            "  %-16s %-22s %-10s %s%n",
            "deployment",
            "objects/s",
            "ratio",
            "CPU seconds per process (median) [ms per object]"));
    double one = medianOf(runs("scale", DEFAULTS, "replicator-1w"), Run::objectsPerSecond);
    for (Tool tool : tools) {
      List<Run> r = runs("scale", DEFAULTS, tool.name());
      if (r.isEmpty()) {
        t.append(String.format("  %-16s (no valid run)%n", tool.name()));
        continue;
      }
      Map<String, List<Double>> cpu = new LinkedHashMap<>();
      for (Run run : r) {
        run.processCpu.forEach((k, v) -> cpu.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
        cpu.computeIfAbsent("RGW", x -> new ArrayList<>()).add(run.rgwCpu);
        cpu.computeIfAbsent("PostgreSQL", x -> new ArrayList<>()).add(run.pgCpu);
        cpu.computeIfAbsent("machine(all)", x -> new ArrayList<>()).add(run.machineCpu);
      }
      StringBuilder parts = new StringBuilder();
      cpu.forEach(
          (k, v) ->
              parts.append(
                  String.format(
                      Locale.ROOT,
                      "%s %.1f [%.1f]  ",
                      k,
                      Sys.median(v),
                      Sys.median(v) * 1000 / cfg.smallCount)));
      double ops = medianOf(r, Run::objectsPerSecond);
      t.append(
          String.format(
              Locale.ROOT,
              "  %-16s %-22s %-10s %s%n",
              tool.name(),
              Sys.spread(r.stream().map(Run::objectsPerSecond).toList(), "%.1f"),
              String.format(Locale.ROOT, "%.2f", ops / one),
              parts.toString().trim()));
      int workers = Integer.parseInt(tool.name().replaceAll("\\D", ""));
      t.append("    " + slotLine(r, 6 * workers) + "\n");
    }
    t.append(
        "  one process REPLICATOR_ROLES=api,scheduler plus one or two REPLICATOR_ROLES=worker processes, default settings\n"
            + "  (8 copy slots per worker, 6 of them for batch jobs); the small backfill of phase 1.\n");
    table(
        String.format(
            "6. Scale-out: small backfill (%d x %d KiB) with one and two worker processes, %d runs each",
            cfg.smallCount, cfg.smallSize >> 10, cfg.runs),
        t.toString());
    double two = medianOf(runs("scale", DEFAULTS, "replicator-2w"), Run::objectsPerSecond);
    if (Double.isNaN(one) || Double.isNaN(two)) {
      targetUnmeasured("second-worker-adds-throughput", ">1.00x", "a scale-out run failed");
    } else {
      target(
          "second-worker-adds-throughput",
          String.format(Locale.ROOT, "%.3fx", two / one),
          ">1.00x",
          two / one > 1.0);
    }
  }

  // --- 3. cost per object
  // -----------------------------------------------------------------------------------------

  static void cost() throws Exception {
    List<Run> replicatorRuns =
        RUNS.stream()
            .filter(
                r ->
                    r.valid()
                        && r.tool.startsWith("replicator")
                        && (r.phase.equals("small") || r.phase.equals("scale")))
            .toList();
    if (replicatorRuns.isEmpty()) {
      fillSmall();
      for (int round = 1; round <= cfg.runs; round++) {
        measure(
            "cost",
            split(1),
            round,
            SMALL_SOURCE,
            cfg.smallCount,
            (long) cfg.smallCount * cfg.smallSize);
      }
      replicatorRuns = RUNS.stream().filter(r -> r.valid() && r.phase.equals("cost")).toList();
    }
    StringBuilder t = new StringBuilder();
    t.append(
        "  S3 requests per replicated object, by operation (RGW's access log; median over runs):\n");
    Map<String, List<Run>> groups = new LinkedHashMap<>();
    for (Run r : RUNS) {
      if (r.valid()
          && (r.phase.equals("small") || r.phase.equals("scale") || r.phase.equals("cost"))) {
        groups
            .computeIfAbsent(r.phase + " " + r.settings + " " + r.tool, k -> new ArrayList<>())
            .add(r);
      }
    }
    List<Double> replicatorTotals = new ArrayList<>();
    for (Map.Entry<String, List<Run>> g : groups.entrySet()) {
      Set<String> ops = new java.util.TreeSet<>();
      g.getValue().forEach(r -> ops.addAll(r.requests.keySet()));
      StringBuilder line = new StringBuilder();
      List<Double> totals = new ArrayList<>();
      for (Run r : g.getValue()) {
        totals.add(
            r.requests.values().stream().mapToInt(Integer::intValue).sum() / (double) r.objects);
      }
      for (String op : ops) {
        double per =
            medianOf(g.getValue(), r -> r.requests.getOrDefault(op, 0) / (double) r.objects);
        if (per >= 0.0005) {
          line.append(String.format(Locale.ROOT, "%s %.3f, ", op, per));
        }
      }
      if (g.getKey().contains("replicator")) {
        replicatorTotals.addAll(totals);
      }
      t.append(
          String.format(
              Locale.ROOT,
              "    %-34s total %-6.3f %s%n",
              g.getKey(),
              Sys.median(totals),
              line.length() > 2 ? line.substring(0, line.length() - 2) : ""));
    }
    t.append(
        "    (src: requests to the source bucket, dst: to the destination. PutObject includes CopyObject: the access log\n"
            + "    does not show x-amz-copy-source. The benchmark's own requests are left out by their user agent.)\n");
    t.append(
        "  RGW time per replicated object, by operation (ms; the latencies RGW logged, summed; median over runs):\n");
    for (Map.Entry<String, List<Run>> g : groups.entrySet()) {
      Set<String> ops = new java.util.TreeSet<>();
      g.getValue().forEach(r -> ops.addAll(r.requestSeconds.keySet()));
      StringBuilder line = new StringBuilder();
      for (String op : ops) {
        double per =
            medianOf(g.getValue(), r -> r.requestSeconds.getOrDefault(op, 0.0) * 1000 / r.objects);
        if (per >= 0.05) {
          line.append(String.format(Locale.ROOT, "%s %.1f, ", op, per));
        }
      }
      double total =
          medianOf(
              g.getValue(),
              r ->
                  r.requestSeconds.values().stream().mapToDouble(Double::doubleValue).sum()
                      * 1000
                      / r.objects);
      t.append(
          String.format(
              Locale.ROOT,
              "    %-34s total %-6.1f %s%n",
              g.getKey(),
              total,
              line.length() > 2 ? line.substring(0, line.length() - 2) : ""));
    }

    List<Run> withSql = replicatorRuns.stream().filter(r -> r.dataStatements >= 0).toList();
    List<Double> sql = withSql.stream().map(r -> r.dataStatements / (double) r.objects).toList();
    List<Double> control =
        withSql.stream().map(r -> r.controlStatements / (double) r.objects).toList();
    t.append(
        String.format(
            Locale.ROOT,
            "  SQL statements per replicated object (pg_stat_statements, role replicator, all processes): "
                + "%s, plus %s BEGIN/COMMIT/SET (median [min-max] over %d Replicator runs)%n",
            Sys.spread(sql, "%.3f"),
            Sys.spread(control, "%.3f"),
            withSql.size()));
    if (!withSql.isEmpty()) {
      Run sample = withSql.get(withSql.size() / 2);
      double totalMs = sample.statements.stream().mapToDouble(Pg.Statement_::totalMillis).sum();
      t.append(
          String.format(
              Locale.ROOT,
              "  most frequent statements in one run (%s %s %s, %d objects; %.1f ms of execution and planning"
                  + " per object in all): calls per object, execution and planning ms per object:%n",
              sample.phase,
              sample.settings,
              sample.tool,
              sample.objects,
              totalMs / sample.objects));
      sample.statements.stream()
          .filter(x -> x.calls() * 200 >= sample.objects)
          .limit(16)
          .forEach(
              s ->
                  t.append(
                      String.format(
                          Locale.ROOT,
                          "    %7.3f %7.3f  %s%n",
                          s.calls() / (double) sample.objects,
                          s.totalMillis() / sample.objects,
                          s.shortText(140))));
      List<Pg.Statement_> costly =
          sample.statements.stream()
              .sorted((x, y) -> Double.compare(y.totalMillis(), x.totalMillis()))
              .limit(5)
              .toList();
      t.append(
          "  most costly statements in that run (execution and planning ms per object, of it planning,"
              + " calls per object):\n");
      costly.forEach(
          s ->
              t.append(
                  String.format(
                      Locale.ROOT,
                      "    %7.3f %7.3f %7.3f  %s%n",
                      s.totalMillis() / sample.objects,
                      s.planningMillis() / sample.objects,
                      s.calls() / (double) sample.objects,
                      s.shortText(140))));
    }

    t.append("  CPU per replicated object (ms; median over runs):\n");
    for (Map.Entry<String, List<Run>> g : groups.entrySet()) {
      if (!g.getKey().contains("replicator")) {
        List<Run> r = g.getValue();
        t.append(
            String.format(
                Locale.ROOT,
                "    %-34s tool %.2f  RGW %.2f  PostgreSQL -%n",
                g.getKey(),
                medianOf(r, x -> x.toolCpu * 1000 / x.objects),
                medianOf(r, x -> x.rgwCpu * 1000 / x.objects)));
        continue;
      }
      List<Run> r = g.getValue();
      Map<String, List<Double>> per = new LinkedHashMap<>();
      for (Run run : r) {
        run.processCpu.forEach(
            (k, v) -> per.computeIfAbsent(k, x -> new ArrayList<>()).add(v * 1000 / run.objects));
      }
      StringBuilder parts = new StringBuilder();
      per.forEach(
          (k, v) -> parts.append(String.format(Locale.ROOT, "%s %.2f  ", k, Sys.median(v))));
      t.append(
          String.format(
              Locale.ROOT,
              "    %-34s %sRGW %.2f  PostgreSQL %.2f%n",
              g.getKey(),
              parts,
              medianOf(r, x -> x.rgwCpu * 1000 / x.objects),
              medianOf(r, x -> x.pgCpu * 1000 / x.objects)));
    }
    t.append(
        "    (worker-N: a REPLICATOR_ROLES=worker process; replicator: one process with every role.)\n");
    table("3. Cost per replicated object (small objects, untagged)", t.toString());

    if (replicatorTotals.isEmpty()) {
      targetUnmeasured("s3-requests-per-small-object", "<=3", "no valid Replicator run");
    } else {
      double v = Sys.median(replicatorTotals);
      target(
          "s3-requests-per-small-object", String.format(Locale.ROOT, "%.3f", v), "<=3", v <= 3.0);
    }
    if (sql.isEmpty()) {
      targetUnmeasured("sql-statements-per-object", "<=3", "no valid Replicator run");
    } else {
      double v = Sys.median(sql);
      target("sql-statements-per-object", String.format(Locale.ROOT, "%.3f", v), "<=3", v <= 3.0);
    }
  }

  // --- 4. live latency
  // --------------------------------------------------------------------------------------------

  record Write(
      String key,
      double scheduled,
      double started,
      double answered,
      double evented,
      String versionId,
      String error) {}

  static void liveLatency() throws Exception {
    double max = cfg.liveMax;
    String basis = "--live-max";
    if (Double.isNaN(max)) {
      max = medianOf(runs("small", DEFAULTS, "replicator"), Run::objectsPerSecond);
      basis = "phase 1, Replicator with defaults";
    }
    if (Double.isNaN(max)) {
      max = medianOf(runs("scale", DEFAULTS, "replicator-1w"), Run::objectsPerSecond);
      basis = "phase 6, one worker";
    }
    if (Double.isNaN(max)) {
      fillSmall();
      Run r =
          measure(
              "live-max",
              replicator(DEFAULTS, Map.of()),
              1,
              SMALL_SOURCE,
              cfg.smallCount,
              (long) cfg.smallCount * cfg.smallSize);
      max = r.valid() ? r.objectsPerSecond() : Double.NaN;
      basis = "a small backfill with defaults";
    }
    if (Double.isNaN(max)) {
      targetUnmeasured("live-p50-at-50pct", "<=250ms", "no maximum rate measured");
      targetUnmeasured("live-p99-at-50pct", "<=1000ms", "no maximum rate measured");
      return;
    }
    String source = "bench-live-src";
    String destination = "bench-live-dst";
    env.rgw.createBucket(source, true);
    env.rgw.createBucket(destination, true);
    StringBuilder t = new StringBuilder();
    Map<Integer, List<Double>> latencies = new TreeMap<>();
    try (Replicator r =
        Replicator.start(env, List.of(Replicator.Spec.allInOne(Map.of(), List.of())))) {
      String rule = r.rule(source, destination);
      progress(String.format("live: max %.1f objects/s (%s); warming up", max, basis));
      List<Write> warmup =
          writeOpenLoop(r, source, "warmup/", Math.min(5, max * 0.25), cfg.quick ? 2 : 5);
      awaitReplicas(
          destination, "warmup/", warmup.stream().filter(w -> w.error() == null).count(), 120);
      t.append(
          String.format(
              Locale.ROOT,
              "  max = %.1f objects/s (%s); %d s per rate; %d KiB objects; one process, defaults%n",
              max,
              basis,
              cfg.liveSeconds,
              cfg.smallSize >> 10));
      t.append(
          String.format(
              Locale.ROOT,
              "  %-6s %-9s %-7s %-8s %-8s %-8s %-8s %-8s %-14s %s%n",
              "load",
              "rate/s",
              "writes",
              "p50 ms",
              "p95 ms",
              "p99 ms",
              "max ms",
              "lost",
              "task p50 ms",
              "writer late p99 ms"));
      for (int percent : List.of(25, 50, 80)) {
        double rate = max * percent / 100.0;
        String prefix = "p" + percent + "/";
        progress(
            String.format("live: %d%% = %.2f writes/s for %d s", percent, rate, cfg.liveSeconds));
        List<Write> writes = writeOpenLoop(r, source, prefix, rate, cfg.liveSeconds);
        long ok = writes.stream().filter(w -> w.error() == null).count();
        long arrived = awaitReplicas(destination, prefix, ok, 120);
        Map<String, Double> modified = new HashMap<>();
        env.rgw
            .s3
            .listObjectVersionsPaginator(b -> b.bucket(destination).prefix(prefix))
            .versions()
            .forEach(
                (ObjectVersion v) ->
                    modified.put(v.key(), (double) v.lastModified().toEpochMilli()));
        Map<String, Double> completed = new HashMap<>();
        for (String[] row :
            env.pg.rows(
                r.database,
                "SELECT source_key, extract(epoch FROM completed_at) * 1000 FROM replication_tasks "
                    + "WHERE rule_id = ?::uuid AND source_key LIKE ? AND completed_at IS NOT NULL",
                rule,
                prefix + "%")) {
          completed.put(row[0], Double.parseDouble(row[1]));
        }
        List<Double> lat = new ArrayList<>();
        List<Double> taskLat = new ArrayList<>();
        List<Double> late = new ArrayList<>();
        for (Write w : writes) {
          if (w.error() != null) {
            continue;
          }
          late.add(w.started() - w.scheduled());
          Double m = modified.get(w.key());
          if (m != null) {
            lat.add(m - w.answered());
          }
          Double c = completed.get(w.key());
          if (c != null) {
            taskLat.add(c - w.answered());
          }
        }
        latencies.put(percent, lat);
        long errors = writes.size() - ok;
        t.append(
            String.format(
                Locale.ROOT,
                "  %-6s %-9.2f %-7d %-8.0f %-8.0f %-8.0f %-8.0f %-8s %-14.0f %.0f%n",
                percent + "%",
                rate,
                writes.size(),
                Sys.percentile(lat, 50),
                Sys.percentile(lat, 95),
                Sys.percentile(lat, 99),
                Sys.max(lat),
                (ok - arrived) + (errors > 0 ? " (+" + errors + " write errors)" : ""),
                Sys.percentile(taskLat, 50),
                Sys.percentile(late, 99)));
        Sys.sleep(cfg.quick ? 1000 : 3000);
      }
    } finally {
      env.rgw.deleteBucket(source);
      env.rgw.deleteBucket(destination);
    }
    t.append(
        "  latency: from the source PUT's answer to the replica's Last-Modified on the destination (RGW keeps\n"
            + "  milliseconds; the replica is readable from then on). Each PUT is followed by POST /events with its S3\n"
            + "  notification; writes are scheduled open-loop at a fixed rate. task p50: to the task's completed_at (outcome\n"
            + "  written). lost: replicas missing 120 s after the last write. writer late: scheduling delay of the writer.\n");
    table("4. Live replication latency (open-loop writer + S3 events)", t.toString());
    List<Double> half = latencies.getOrDefault(50, List.of());
    if (half.isEmpty()) {
      targetUnmeasured("live-p50-at-50pct", "<=250ms", "no latency at 50%");
      targetUnmeasured("live-p99-at-50pct", "<=1000ms", "no latency at 50%");
    } else {
      double p50 = Sys.percentile(half, 50);
      double p99 = Sys.percentile(half, 99);
      target("live-p50-at-50pct", String.format(Locale.ROOT, "%.0fms", p50), "<=250ms", p50 <= 250);
      target(
          "live-p99-at-50pct", String.format(Locale.ROOT, "%.0fms", p99), "<=1000ms", p99 <= 1000);
    }
  }

  /**
   * Writes at a fixed rate for {@code seconds}, each PUT followed by its event, on a pool so that
   * none waits.
   */
  static List<Write> writeOpenLoop(
      Replicator r, String bucket, String prefix, double rate, int seconds) throws Exception {
    int count = Math.max(1, (int) Math.round(rate * seconds));
    ExecutorService pool = Executors.newFixedThreadPool(64);
    ConcurrentLinkedQueue<Write> done = new ConcurrentLinkedQueue<>();
    byte[] body = new byte[cfg.smallSize];
    new java.util.Random(7).nextBytes(body);
    double start = Sys.nowMillis() + 200;
    for (int i = 0; i < count; i++) {
      double at = start + i * 1000.0 / rate;
      double wait = at - Sys.nowMillis();
      if (wait > 0) {
        Thread.sleep((long) wait, (int) ((wait % 1) * 1e6));
      }
      String key = prefix + String.format("%06d", i);
      pool.submit(
          () -> {
            double started = Sys.nowMillis();
            try {
              String version =
                  env.rgw
                      .s3
                      .putObject(
                          b -> b.bucket(bucket).key(key).contentType("application/octet-stream"),
                          RequestBody.fromBytes(body))
                      .versionId();
              double answered = Sys.nowMillis();
              r.event(bucket, key, version, body.length);
              done.add(new Write(key, at, started, answered, Sys.nowMillis(), version, null));
            } catch (RuntimeException e) {
              done.add(new Write(key, at, started, Double.NaN, Double.NaN, null, e.toString()));
            }
          });
    }
    pool.shutdown();
    pool.awaitTermination(10, TimeUnit.MINUTES);
    List<Write> writes = new ArrayList<>(done);
    writes.stream()
        .filter(w -> w.error() != null)
        .limit(3)
        .forEach(w -> note("live write failed: " + w.error()));
    return writes;
  }

  /**
   * Waits until {@code expected} objects are under the prefix (at most {@code seconds}); answers
   * how many are.
   */
  static long awaitReplicas(String bucket, String prefix, long expected, int seconds) {
    long deadline = System.currentTimeMillis() + seconds * 1000L;
    long found;
    do {
      found = env.rgw.countObjects(bucket, prefix)[0];
      if (found >= expected) {
        break;
      }
      Sys.sleep(500);
    } while (System.currentTimeMillis() < deadline);
    return found;
  }

  // --- 5. memory
  // --------------------------------------------------------------------------------------------------

  // --- 7. a reconciliation scan that finds nothing new
  // -----------------------------------------------------------------------------------------------

  static final String SCAN_SOURCE = "bench-scan-src";

  /**
   * A rule's reconciliation scan over a source whose every version the rule already knows: it
   * should cost the listing requests and nothing else. One api+scheduler process and no worker, so
   * that the first pass's tasks stay queued (known) and nothing else touches the buckets: the
   * second pass is the measured one.
   */
  static void scan() throws Exception {
    String destination = "scan-replicator";
    env.rgw.createBucket(SCAN_SOURCE, true);
    env.rgw.createBucket(destination, true);
    List<Replicator.Spec> specs =
        List.of(
            new Replicator.Spec(
                "api-scheduler",
                "api,scheduler",
                Map.of(),
                List.of("-Dreplicator.scan.tick=250ms")));
    Run run = new Run("scan", "replicator", "defaults", 1);
    run.source = SCAN_SOURCE;
    try (Replicator r = Replicator.start(env, specs)) {
      String rule = r.scanningRule(SCAN_SOURCE, destination);
      awaitScanEnd(r, rule, ""); // the first pass, over the empty bucket
      progress(
          String.format(Locale.ROOT, "filling %s with %d x 1 KiB", SCAN_SOURCE, cfg.scanCount));
      env.rgw.fill(SCAN_SOURCE, "scan/", cfg.scanCount, 1024, 32);
      awaitScanEnd(r, rule, r.scanNow(rule)); // queues every version
      long queued = r.tasksOf(rule);
      if (queued != cfg.scanCount) {
        run.problem = "the first pass queued " + queued + " of " + cfg.scanCount + " versions";
      }
      Map<String, Double> cpu0 = r.cpu();
      env.pg.resetStatements();
      Window w = new Window();
      double t0 = Sys.nowMillis();
      awaitScanEnd(r, rule, r.scanNow(rule));
      run.seconds = (Sys.nowMillis() - t0) / 1000.0;
      run.wallSeconds = run.seconds;
      w.close(run, BENCH_UA);
      run.objects = cfg.scanCount;
      run.statements = env.pg.statements(r.database);
      run.dataStatements = Pg.Statement_.calls(run.statements, false);
      Map<String, Double> cpu1 = r.cpu();
      run.toolCpu = cpu1.get("api-scheduler") - cpu0.get("api-scheduler");
      if (run.problem == null && r.tasksOf(rule) != queued) {
        run.problem = "the second pass queued " + (r.tasksOf(rule) - queued) + " more tasks";
      }
    } finally {
      env.rgw.deleteBucket(destination);
      env.rgw.deleteBucket(SCAN_SOURCE);
      env.rgw.collectGarbage();
    }
    RUNS.add(run);
    int listings = run.requests.getOrDefault("src:ListObjectVersions", 0);
    int others = run.requests.values().stream().mapToInt(Integer::intValue).sum() - listings;
    StringBuilder t = new StringBuilder();
    t.append(
        String.format(
            Locale.ROOT,
            "  a pass over %,d known versions: %.1f s (%,.0f versions/s), %d ListObjectVersions, %d other"
                + " S3 requests%s%n",
            cfg.scanCount,
            run.seconds,
            cfg.scanCount / run.seconds,
            listings,
            others,
            others == 0 ? "" : " " + run.requests));
    t.append(
        String.format(
            Locale.ROOT,
            "  SQL statements %d (%.2f per listing page); CPU: Replicator %.2f s, RGW %.2f s, PostgreSQL"
                + " %.2f s%n",
            run.dataStatements,
            run.dataStatements / (double) Math.max(1, listings),
            run.toolCpu,
            run.rgwCpu,
            run.pgCpu));
    for (Pg.Statement_ st :
        run.statements.stream().filter(st -> !st.transactionControl()).limit(6).toList()) {
      t.append(
          String.format(
              Locale.ROOT,
              "    %6d calls %8.1f ms  %s%n",
              st.calls(),
              st.totalMillis(),
              st.shortText(110)));
    }
    t.append(
        "  (one api+scheduler process, no worker: the first pass queued every version, so the measured second pass\n"
            + "  finds each known; the scheduler's other ticks during the pass are counted too)\n");
    table(
        String.format(
            Locale.ROOT, "7. Reconciliation scan, nothing new: %,d versions", cfg.scanCount),
        t.toString());
    if (run.problem != null) {
      note("scan: " + run.problem);
      targetUnmeasured("scan-no-change-only-listing", "0 other requests", run.problem);
    } else {
      target(
          "scan-no-change-only-listing",
          others + " other requests (" + listings + " listings)",
          "0",
          others == 0);
    }
  }

  /** Waits (up to an hour) for a pass of the rule's scan that ended later than {@code after}. */
  static void awaitScanEnd(Replicator r, String rule, String after) {
    long deadline = System.currentTimeMillis() + 3600_000L;
    while (System.currentTimeMillis() < deadline) {
      String ended = r.lastScanEnd(rule);
      if (!ended.isEmpty() && !ended.equals(after)) {
        return;
      }
      Sys.sleep(50);
    }
    throw new IllegalStateException("no scan pass of rule " + rule + " ended within an hour");
  }

  static void memory() throws Exception {
    String source = "bench-huge-src";
    String destination = "bench-huge-dst";
    String key = "huge/object";
    progress(String.format("memory: uploading one %d MiB object", cfg.hugeSize >> 20));
    env.rgw.createBucket(source, true);
    env.rgw.createBucket(destination, true);
    env.rgw.fillLarge(source, key, cfg.hugeSize);
    Sys.sleep(1500);
    StringBuilder t = new StringBuilder();
    boolean ok = false;
    String measured = "n/a";
    try (Replicator r =
        Replicator.start(env, List.of(Replicator.Spec.allInOne(Map.of(), List.of("-Xmx256m"))))) {
      long pid = r.nodes.get(0).pid();
      long rssAtStart = Sys.statusKb(pid, "VmRSS");
      String rule = r.rule(source, destination);
      double t0 = Sys.nowMillis();
      String job = r.backfill(rule);
      String status;
      long peak = 0;
      long deadline = System.currentTimeMillis() + 3600_000L;
      do {
        Sys.sleep(200);
        peak = Math.max(peak, Sys.statusKb(pid, "VmRSS"));
        status = r.jobStatus(job);
      } while (r.nodes.get(0).process().isAlive()
          && !List.of("COMPLETED", "FAILED", "CANCELLED").contains(status)
          && System.currentTimeMillis() < deadline);
      double seconds = (Sys.nowMillis() - t0) / 1000.0;
      boolean alive = r.nodes.get(0).process().isAlive();
      long hwm = alive ? Sys.statusKb(pid, "VmHWM") : peak;
      boolean oom = r.logMentions("OutOfMemoryError");
      long[] arrived = env.rgw.countObjects(destination, "");
      JsonNode outcome = alive ? r.job(job) : null;
      boolean succeeded =
          outcome != null && outcome.path("succeeded").asLong() == 1 && arrived[1] == cfg.hugeSize;
      ok = alive && !oom && "COMPLETED".equals(status) && succeeded;
      measured =
          String.format(
              Locale.ROOT, "%s,peak-RSS-%dMiB", ok ? "replicated" : "not-replicated", hwm >> 10);
      t.append(
          String.format(
              Locale.ROOT,
              "  %d MiB object, one process with every role, -Xmx256m, default settings (16 MiB parts, 4 at a time)%n",
              cfg.hugeSize >> 20));
      t.append(
          String.format(
              Locale.ROOT,
              "  job %s in %.1f s (%.1f MB/s); replica %d bytes; OutOfMemoryError in the log: %s%n",
              status,
              seconds,
              cfg.hugeSize / 1e6 / seconds,
              arrived[1],
              oom ? "yes" : "no"));
      t.append(
          String.format(
              Locale.ROOT,
              "  RSS: %d MiB after start-up, peak %d MiB (VmHWM; sampled peak %d MiB)%n",
              rssAtStart >> 10,
              hwm >> 10,
              peak >> 10));
      if (!ok) {
        note("memory: " + (outcome == null ? "process died" : outcome.toString()));
      }
    } finally {
      env.rgw.deleteBucket(source);
      env.rgw.deleteBucket(destination);
      env.rgw.collectGarbage();
    }
    table(
        String.format("5. Memory: one %d MiB object within -Xmx256m", cfg.hugeSize >> 20),
        t.toString());
    target(
        "memory-" + (cfg.hugeSize >> 20) + "MiB-object-in-256MiB-heap",
        measured,
        "completes-with-Xmx256m",
        ok);
  }

  /** Writes to two streams (the report to stdout and to its file). */
  static final class Tee extends java.io.OutputStream {
    private final java.io.OutputStream a;
    private final java.io.OutputStream b;

    Tee(java.io.OutputStream a, java.io.OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public synchronized void write(int c) throws IOException {
      a.write(c);
      b.write(c);
    }

    @Override
    public synchronized void write(byte[] bytes, int off, int len) throws IOException {
      a.write(bytes, off, len);
      b.write(bytes, off, len);
    }

    @Override
    public synchronized void flush() throws IOException {
      a.flush();
      b.flush();
    }
  }
}
