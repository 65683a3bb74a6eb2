package dev.replicator.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The packaged jar run as a user runs it, in its own JVM, with its output captured to a file. */
public final class ServerProcess implements AutoCloseable {

  private final Process process;
  private final Path log;
  private final int port;

  private ServerProcess(Process process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.port = port;
  }

  public static Path jar() {
    String configured = System.getProperty("replicator.jar");
    Path jar = configured != null ? Path.of(configured) : Path.of("target", "replicator.jar");
    if (!Files.exists(jar)) {
      throw new IllegalStateException(
          jar + " does not exist: run the tests with `./mvnw verify`, which packages it first.");
    }
    return jar;
  }

  /**
   * The environment of a server on {@code database} with the tests' master key and admin token,
   * that may reach stores on loopback addresses, plus {@code settings}.
   */
  public static Map<String, String> environment(
      TestPostgres.Database database, Map<String, String> settings) {
    Map<String, String> environment = new HashMap<>();
    environment.put("DATASOURCE_URL", database.url());
    environment.put("DATASOURCE_USERNAME", database.username());
    environment.put("DATASOURCE_PASSWORD", database.password());
    environment.put("REPLICATOR_MASTER_KEY", TestServer.MASTER_KEY);
    environment.put("REPLICATOR_ADMIN_TOKEN", TestServer.ADMIN_TOKEN);
    environment.put("REPLICATOR_ALLOWED_ENDPOINT_CIDRS", "127.0.0.0/8");
    environment.putAll(settings);
    return environment;
  }

  /**
   * Starts the jar with a clean environment plus {@code environment}, and waits until it says it is
   * ready.
   */
  public static ServerProcess start(Map<String, String> environment, Path log)
      throws IOException, InterruptedException {
    return start(environment, log, "-Xmx512m");
  }

  /** Starts the jar with a heap limit such as {@code -Xmx256m}. */
  public static ServerProcess start(Map<String, String> environment, Path log, String heap)
      throws IOException, InterruptedException {
    return start(environment, log, heap, List.of());
  }

  /**
   * Starts the jar with JVM options besides the heap limit, e.g. {@code
   * -Dreplicator.scan.tick=200ms} for settings that have no environment variable.
   */
  public static ServerProcess start(
      Map<String, String> environment, Path log, String heap, List<String> jvmOptions)
      throws IOException, InterruptedException {
    int port = freePort();
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                heap,
                "-XX:TieredStopAtLevel=1"));
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", jar().toAbsolutePath().toString()));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder
        .environment()
        .keySet()
        .removeIf(key -> key.startsWith("DATASOURCE_") || key.startsWith("REPLICATOR_"));
    builder.environment().putAll(environment);
    builder.environment().put("PORT", Integer.toString(port));
    ServerProcess server = new ServerProcess(builder.start(), log, port);
    server.awaitLog("Replicator is ready", Duration.ofSeconds(120));
    return server;
  }

  private void awaitLog(String text, Duration timeout) throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (output().contains(text)) {
        return;
      }
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "The server exited with " + process.exitValue() + ":\n" + output());
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException(
        "The server did not become ready within " + timeout + ":\n" + output());
  }

  public String output() throws IOException {
    return Files.readString(log);
  }

  /**
   * The process id, which a worker's task leases name ({@code lease_owner} starts with {@code
   * pid@host}).
   */
  public long pid() {
    return process.pid();
  }

  public boolean alive() {
    return process.isAlive();
  }

  public String baseUrl() {
    return "http://localhost:" + port;
  }

  public Api api() {
    return new Api(baseUrl(), null);
  }

  /** Stops the server as an operator would (SIGTERM) and waits for it to exit. */
  public int stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
      throw new IllegalStateException("The server did not stop within 60 s of SIGTERM");
    }
    return process.exitValue();
  }

  /** Kills the server as a crash would (SIGKILL): nothing is flushed, no lease given back. */
  public void kill() throws InterruptedException {
    process.destroyForcibly().waitFor();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      stop();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
