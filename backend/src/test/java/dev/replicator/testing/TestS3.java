package dev.replicator.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3-compatible server for the tests: Adobe S3Mock's executable jar (resolved by the build
 * into target/test-tools) in its own JVM, one per test JVM, over HTTP on a free port.
 */
public final class TestS3 implements TestStore {

  public static final String ACCESS_KEY = "test-access-key";
  public static final String SECRET_KEY = "test-secret-key-do-not-log";

  private static TestS3 instance;

  private final Process process;
  private final int port;
  private final S3Client client;

  private TestS3(Process process, int port) {
    this.process = process;
    this.port = port;
    this.client =
        S3Client.builder()
            .endpointOverride(URI.create(endpoint()))
            .region(Region.US_EAST_1)
            .forcePathStyle(true)
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
            .build();
  }

  public static synchronized TestS3 get() {
    if (instance == null) {
      instance = start();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> instance.process.destroy()));
    }
    return instance;
  }

  private static TestS3 start() {
    Path jar = Path.of(System.getProperty("replicator.s3mock.jar", "target/test-tools/s3mock.jar"));
    if (!Files.exists(jar)) {
      throw new IllegalStateException(
          jar
              + " is missing: run the integration tests with `./mvnw verify`, which copies S3Mock there.");
    }
    try {
      int port = freePort();
      Path root = Files.createTempDirectory("s3mock");
      Path log = root.resolve("s3mock.log");
      ProcessBuilder builder =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-XX:TieredStopAtLevel=1",
                  "-Xmx512m",
                  "-jar",
                  jar.toAbsolutePath().toString(),
                  "--http.port=" + port,
                  "--server.port=" + freePort())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      builder
          .environment()
          .put("COM_ADOBE_TESTING_S3MOCK_STORE_ROOT", root.resolve("store").toString());
      Process process = builder.start();
      awaitReady(process, port, log);
      return new TestS3(process, port);
    } catch (IOException e) {
      throw new IllegalStateException("Could not start S3Mock", e);
    }
  }

  private static void awaitReady(Process process, int port, Path log) throws IOException {
    HttpClient http = HttpClient.newHttpClient();
    Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("S3Mock exited:\n" + Files.readString(log));
      }
      try {
        HttpResponse<Void> response =
            http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/favicon.ico"))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      sleep();
    }
    throw new IllegalStateException("S3Mock did not start within 90 s:\n" + Files.readString(log));
  }

  private static void sleep() {
    try {
      Thread.sleep(200);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  @Override
  public String name() {
    return "S3Mock";
  }

  @Override
  public S3Client client() {
    return client;
  }

  @Override
  public String bucketPrefix() {
    return "b-";
  }

  @Override
  public java.util.Map<String, Object> trustBody(String name) {
    return java.util.Map.of(
        "name",
        name,
        "type",
        "STATIC",
        "endpoint",
        endpoint(),
        "region",
        "us-east-1",
        "pathStyle",
        true,
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

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
