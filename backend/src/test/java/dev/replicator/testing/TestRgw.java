package dev.replicator.testing;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * A real Ceph RADOS Gateway for the tests: a throwaway single-node cluster (one mon, one memstore
 * OSD, radosgw) that {@code bench/lib/ceph-rgw} starts under a temporary directory on loopback, one
 * per test JVM, started on first use and stopped by a shutdown hook (and by the script's own
 * watchdog should this JVM die without running it). Needs Debian's Ceph packages; where they are
 * missing, {@link #available()} is false and {@link #assumeAvailable()} skips the calling test with
 * the {@code apt-get} line that installs them.
 */
public final class TestRgw implements TestStore {

  public static final String ACCESS_KEY = "rgw-test-access-key";
  public static final String SECRET_KEY = "rgw-test-secret-key-do-not-log";
  public static final String APT_INSTALL =
      "apt-get install -y --no-install-recommends ceph-mon ceph-osd radosgw ceph-common uuid-runtime";
  private static final long START_TIMEOUT_SECONDS = 300;

  private static TestRgw instance;
  private static String unavailableReason;
  private static boolean checked;
  private static volatile boolean reasonPrinted;
  private static RuntimeException startFailure;

  private final Path script;
  private final Path directory;
  private final String endpoint;
  private final S3Client client;

  private TestRgw(Path script, Path directory, String endpoint) {
    this.script = script;
    this.directory = directory;
    this.endpoint = endpoint;
    this.client =
        S3Client.builder()
            .endpointOverride(URI.create(endpoint))
            .region(Region.US_EAST_1)
            .forcePathStyle(true)
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
            // RGW 16 answers 403 SignatureDoesNotMatch to aws-chunked uploads over HTTP and 400 to
            // trailer checksums.
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
            .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build())
            .build();
  }

  /** The script that starts and stops clusters, shared with the benchmarks under bench/. */
  static Path script() {
    String configured = System.getProperty("replicator.ceph-rgw.script");
    if (configured != null) {
      return Path.of(configured);
    }
    return Path.of(
            System.getProperty("replicator.repository.root", ".."), "bench", "lib", "ceph-rgw")
        .toAbsolutePath()
        .normalize();
  }

  /** Whether this machine can run a Ceph RGW (the packages are installed). */
  public static synchronized boolean available() {
    if (!checked) {
      unavailableReason = check();
      checked = true;
    }
    return unavailableReason == null;
  }

  /**
   * Why {@link #available()} is false (naming the apt-get line that fixes it); null when it is
   * true.
   */
  public static synchronized String unavailableReason() {
    available();
    return unavailableReason;
  }

  /**
   * Skips the calling test with the reason when no RGW can run here. Call it from
   * {@code @BeforeEach}: Surefire counts each test as skipped then (an assumption in
   * {@code @BeforeAll} makes it report "Tests run: 0"), and the reason is also printed once, so it
   * shows in the build log and not only in the reports.
   */
  public static void assumeAvailable() {
    if (!available() && !reasonPrinted) {
      reasonPrinted = true;
      System.out.println("Skipping the Ceph RGW tests: " + unavailableReason());
    }
    Assumptions.assumeTrue(available(), TestRgw::unavailableReason);
  }

  private static String check() {
    Path script = script();
    if (!Files.isExecutable(script)) {
      return script + " is missing or not executable, so there is no Ceph RGW to test against";
    }
    try {
      Process process =
          new ProcessBuilder(script.toString(), "check").redirectErrorStream(true).start();
      String output =
          new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return script + " check did not finish within 30 s";
      }
      if (process.exitValue() == 0) {
        return null;
      }
      return output.isEmpty()
          ? "Ceph RGW is not installed. Install it with: " + APT_INSTALL
          : output;
    } catch (IOException e) {
      return "Could not run "
          + script
          + " check ("
          + e.getMessage()
          + "); the Ceph RGW tests need bash and: "
          + APT_INSTALL;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * This JVM's RGW, started on first use. Call {@link #assumeAvailable()} first: this fails where
   * none can run.
   */
  public static synchronized TestRgw get() {
    if (instance == null) {
      if (!available()) {
        throw new IllegalStateException(unavailableReason());
      }
      if (startFailure != null) {
        throw new IllegalStateException(
            "Ceph RGW failed to start earlier in this JVM", startFailure);
      }
      long began = System.nanoTime();
      try {
        instance = start(script());
      } catch (RuntimeException e) {
        startFailure = e;
        throw e;
      }
      System.out.printf(
          "Ceph RGW at %s (%s) started in %.1f s%n",
          instance.endpoint, instance.directory, (System.nanoTime() - began) / 1e9);
      TestRgw started = instance;
      Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "stop-ceph-rgw"));
    }
    return instance;
  }

  private static TestRgw start(Path script) {
    try {
      Path directory = Files.createTempDirectory("replicator-rgw-");
      Path stdout = Files.createTempFile("replicator-rgw-", ".out");
      Path stderr = Files.createTempFile("replicator-rgw-", ".err");
      try {
        List<String> command =
            new ArrayList<>(
                List.of(
                    script.toString(),
                    "start",
                    directory.toString(),
                    ACCESS_KEY,
                    SECRET_KEY,
                    "--owner",
                    Long.toString(ProcessHandle.current().pid())));
        ProcessBuilder builder =
            new ProcessBuilder(command)
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile());
        builder
            .environment()
            .put("CEPH_RGW_TCP_NODELAY", "1"); // quicker tests; the benchmark measures the default
        Process process = builder.start();
        if (!process.waitFor(START_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
          process.destroy();
          process.waitFor(10, TimeUnit.SECONDS);
          throw new IllegalStateException(
              "Ceph RGW did not start within "
                  + START_TIMEOUT_SECONDS
                  + " s:\n"
                  + Files.readString(stderr));
        }
        if (process.exitValue() != 0) {
          throw new IllegalStateException(
              "Ceph RGW did not start ("
                  + script
                  + " exited with "
                  + process.exitValue()
                  + "):\n"
                  + Files.readString(stderr));
        }
        List<String> lines = Files.readAllLines(stdout);
        String endpoint = lines.isEmpty() ? "" : lines.get(lines.size() - 1).trim();
        if (!endpoint.startsWith("http://127.0.0.1:")) {
          throw new IllegalStateException(
              "Ceph RGW started but printed no endpoint:\n"
                  + String.join("\n", lines)
                  + "\n"
                  + Files.readString(stderr));
        }
        return new TestRgw(script, directory, endpoint);
      } finally {
        Files.deleteIfExists(stdout);
        Files.deleteIfExists(stderr);
      }
    } catch (IOException e) {
      throw new IllegalStateException("Could not start Ceph RGW with " + script, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void stop() {
    client.close();
    try {
      Process process =
          new ProcessBuilder(script.toString(), "stop", directory.toString()).inheritIO().start();
      process.waitFor(60, TimeUnit.SECONDS);
    } catch (IOException e) {
      System.err.println("Could not stop Ceph RGW in " + directory + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The S3 endpoint, {@code http://127.0.0.1:PORT}. */
  public String endpoint() {
    return endpoint;
  }

  /**
   * The cluster's directory (config, logs under {@code log/}), e.g. for {@code radosgw-admin -c
   * DIR/ceph.conf}.
   */
  public Path directory() {
    return directory;
  }

  /** The S3 user the cluster was started with ({@code bench/lib/ceph-rgw}'s default uid). */
  public static final String USER_ARN = "arn:aws:iam:::user/replicator";

  /**
   * Runs {@code radosgw-admin} against this cluster (roles, role policies, users, placement) and
   * returns its output; fails the test when it exits non-zero.
   */
  public String admin(String... arguments) {
    List<String> command =
        new ArrayList<>(List.of("radosgw-admin", "-c", directory.resolve("ceph.conf").toString()));
    command.addAll(List.of(arguments));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException(
            "radosgw-admin " + String.join(" ", arguments) + " failed:\n" + output);
      }
      return output;
    } catch (IOException e) {
      throw new IllegalStateException("Could not run radosgw-admin", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String name() {
    return "Ceph RGW";
  }

  /**
   * A client of the test itself, to arrange buckets and objects and to read what Replicator did.
   */
  @Override
  public S3Client client() {
    return client;
  }

  @Override
  public String bucketPrefix() {
    return "rgw-";
  }

  /**
   * The request body that creates a STATIC trust to this RGW. S3_COMPATIBLE spelled out, not left
   * to AUTO: RGW needs it (no aws-chunked uploads, no trailer checksums), and the test should not
   * depend on how AUTO classifies hosts.
   */
  @Override
  public Map<String, Object> trustBody(String name) {
    return Map.of(
        "name",
        name,
        "type",
        "STATIC",
        "endpoint",
        endpoint,
        "region",
        "us-east-1",
        "pathStyle",
        true,
        "compatibility",
        "S3_COMPATIBLE",
        "accessKeyId",
        ACCESS_KEY,
        "secretAccessKey",
        SECRET_KEY);
  }

  public List<String> keys(String bucket) {
    return client.listObjectsV2(b -> b.bucket(bucket)).contents().stream()
        .map(o -> o.key())
        .toList();
  }
}
