import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** Processes, /proc accounting, ports, statistics: what the benchmark needs from the machine. */
final class Sys {

  private Sys() {}

  /** Clock ticks per second of /proc/PID/stat times (USER_HZ; 100 on Linux for x86 and arm). */
  static final double HZ = 100.0;

  /** Wall-clock milliseconds, derived from the monotonic clock (no jumps within one run). */
  private static final long WALL_BASE = System.currentTimeMillis();

  private static final long NANO_BASE = System.nanoTime();

  static double nowMillis() {
    return WALL_BASE + (System.nanoTime() - NANO_BASE) / 1e6;
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  // --- /proc
  // ------------------------------------------------------------------------------------------------------

  /** Fields of /proc/PID/stat after the command name, or null when the process is gone. */
  static String[] stat(long pid) {
    try {
      String text = Files.readString(Path.of("/proc/" + pid + "/stat"));
      return text.substring(text.lastIndexOf(')') + 2).trim().split(" ");
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * CPU seconds (user + system) of a live process, its waited-for children included when asked; 0
   * when gone.
   */
  static double cpuSeconds(long pid, boolean withChildren) {
    String[] f = stat(pid);
    if (f == null) {
      return 0;
    }
    // after the name: state(0) ppid(1) ... utime(11) stime(12) cutime(13) cstime(14)
    double ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
    if (withChildren) {
      ticks += Long.parseLong(f[13]) + Long.parseLong(f[14]);
    }
    return ticks / HZ;
  }

  /** CPU seconds of live processes, their waited-for children included. */
  static double cpuSeconds(java.util.Collection<Long> pids) {
    return pids.stream().mapToDouble(pid -> cpuSeconds(pid, true)).sum();
  }

  static long parent(long pid) {
    String[] f = stat(pid);
    return f == null ? -1 : Long.parseLong(f[1]);
  }

  /** Every process whose parent is {@code pid}. */
  static List<Long> children(long pid) {
    List<Long> found = new ArrayList<>();
    File[] entries = new File("/proc").listFiles();
    if (entries == null) {
      return found;
    }
    for (File entry : entries) {
      String name = entry.getName();
      if (!name.chars().allMatch(Character::isDigit)) {
        continue;
      }
      long child = Long.parseLong(name);
      if (parent(child) == pid) {
        found.add(child);
      }
    }
    return found;
  }

  /**
   * A process tree's CPU: the root with its waited-for children, plus its live children
   * (PostgreSQL's backends).
   */
  static double treeCpuSeconds(long root) {
    double total = cpuSeconds(root, true);
    for (long child : children(root)) {
      total += cpuSeconds(child, true);
    }
    return total;
  }

  /** A value in kB from /proc/PID/status (VmRSS, VmHWM), or -1. */
  static long statusKb(long pid, String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith(field + ":")) {
          return Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      // gone
    }
    return -1;
  }

  /**
   * Busy and total jiffies of the whole machine (/proc/stat), for the share of CPU the machine
   * spent elsewhere.
   */
  static long[] machineJiffies() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long total = 0;
      for (int i = 1; i < Math.min(f.length, 9); i++) {
        total += Long.parseLong(f[i]);
      }
      long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
      return new long[] {total - idle, total};
    } catch (IOException e) {
      return new long[] {0, 0};
    }
  }

  static int cores() {
    return Runtime.getRuntime().availableProcessors();
  }

  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return "?";
    }
  }

  static long pidFromFile(Path file) {
    try {
      return Long.parseLong(Files.readAllLines(file).get(0).trim());
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  // --- child processes
  // ----------------------------------------------------------------------------------------------

  /** Set when the JVM shuts down: no process is started after that (none would be stopped). */
  static final java.util.concurrent.atomic.AtomicBoolean STOPPING =
      new java.util.concurrent.atomic.AtomicBoolean();

  /** Everything this JVM started, ended when it exits however it exits (except SIGKILL). */
  static final Map<Process, String> CHILDREN = new ConcurrentHashMap<>();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  STOPPING.set(true);
                  for (Process p : CHILDREN.keySet()) {
                    p.destroy();
                  }
                  for (Process p : CHILDREN.keySet()) {
                    try {
                      if (!p.waitFor(15, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                      }
                    } catch (InterruptedException e) {
                      p.destroyForcibly();
                    }
                  }
                }));
  }

  static Process start(List<String> command, Map<String, String> env, Path log, Path dir) {
    if (STOPPING.get()) {
      throw new IllegalStateException("shutting down: not starting " + command.get(0));
    }
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    if (dir != null) {
      builder.directory(dir.toFile());
    }
    for (Map.Entry<String, String> e : env.entrySet()) {
      if (e.getValue() == null) {
        builder.environment().remove(e.getKey());
      } else {
        builder.environment().put(e.getKey(), e.getValue());
      }
    }
    try {
      Process process = builder.start();
      CHILDREN.put(process, String.join(" ", command));
      return process;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + command + ": " + e.getMessage(), e);
    }
  }

  static void stop(Process process, int graceSeconds) {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(graceSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    CHILDREN.remove(process);
  }

  /**
   * A command run to its end under /usr/bin/time: wall seconds, its CPU (user + system) and peak
   * RSS.
   */
  record Timed(int exit, double wallSeconds, double cpuSeconds, long maxRssKb, String output) {}

  static Timed timed(List<String> command, Map<String, String> env, Path log, long timeoutSeconds) {
    Path times;
    try {
      times = Files.createTempFile(log.getParent(), "time", ".txt");
      Files.writeString(
          log,
          "\n$ " + String.join(" ", command) + "\n",
          StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    List<String> wrapped =
        new ArrayList<>(List.of("/usr/bin/time", "-f", "%e %U %S %M", "-o", times.toString()));
    wrapped.addAll(command);
    long offset = log.toFile().length();
    double began = nowMillis();
    Process process = start(wrapped, env, log, null);
    int exit;
    try {
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor();
        exit = 124;
      } else {
        exit = process.exitValue();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      throw new IllegalStateException("interrupted");
    } finally {
      CHILDREN.remove(process);
    }
    double wall = (nowMillis() - began) / 1000.0;
    double cpu = 0;
    long rss = 0;
    try {
      List<String> lines = Files.readAllLines(times);
      String last = lines.isEmpty() ? "" : lines.get(lines.size() - 1).trim();
      String[] f = last.split(" ");
      if (f.length == 4) {
        cpu = Double.parseDouble(f[1]) + Double.parseDouble(f[2]);
        rss = Long.parseLong(f[3]);
      }
      Files.deleteIfExists(times);
    } catch (IOException | RuntimeException e) {
      // no figures
    }
    return new Timed(exit, wall, cpu, rss, tail(log, offset));
  }

  /** The text appended to a file since {@code offset} (at most 64 kB of it). */
  static String tail(Path file, long offset) {
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      long length = in.length();
      long from = Math.max(offset, length - 65536);
      byte[] bytes = new byte[(int) (length - from)];
      in.seek(from);
      in.readFully(bytes);
      return new String(bytes, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  // --- statistics
  // -----------------------------------------------------------------------------------------------------

  static double median(List<Double> values) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  /** Nearest-rank percentile. */
  static double percentile(List<Double> values, double percent) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
  }

  static double min(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
  }

  static double max(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
  }

  /** "median [min–max]" with the given format, or "median" alone for one value. */
  static String spread(List<Double> values, String format) {
    if (values.isEmpty()) {
      return "-";
    }
    String m = String.format(format, median(values));
    if (values.size() == 1) {
      return m;
    }
    return m
        + " ["
        + String.format(format, min(values))
        + "-"
        + String.format(format, max(values))
        + "]";
  }

  static <K> void add(Map<K, Double> into, K key, double value) {
    into.merge(key, value, Double::sum);
  }

  static Map<String, Double> ordered() {
    return new LinkedHashMap<>();
  }
}
