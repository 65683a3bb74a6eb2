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
import java.util.Optional;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * moto's server (S3, STS and IAM with real signature checks and IAM policies) in its own process. IAM
 * authentication is enforced from the {@code unauthenticatedSetupCalls + 1}-th request on, so the test first
 * creates its users, keys and roles without credentials, then everything is checked.
 */
public final class MotoServer implements AutoCloseable {

  private final Process process;
  private final int port;
  private final Path log;

  private MotoServer(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** moto's request log: one line per request, method and path included. */
  public String requestLog() throws IOException {
    return Files.readString(log);
  }

  public static Optional<Path> executable() {
    String path = System.getenv("PATH");
    return Stream.concat(Stream.of(path == null ? new String[0] : path.split(":")), Stream.of(System.getProperty("user.home") + "/.pyenv/shims"))
        .map(dir -> Path.of(dir, "moto_server"))
        .filter(Files::isExecutable)
        .findFirst();
  }

  public static MotoServer start(Path executable, int unauthenticatedSetupCalls) throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Path log = Files.createTempFile("moto", ".log");
    ProcessBuilder builder = new ProcessBuilder(executable.toString(), "-H", "127.0.0.1", "-p", Integer.toString(port))
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    builder.environment().put("INITIAL_NO_AUTH_ACTION_COUNT", Integer.toString(unauthenticatedSetupCalls));
    MotoServer moto = new MotoServer(builder.start(), port, log);
    moto.awaitReady(log);
    return moto;
  }

  private void awaitReady(Path log) throws IOException {
    HttpClient http = HttpClient.newHttpClient();
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("moto_server exited:\n" + Files.readString(log));
      }
      try {
        http.send(HttpRequest.newBuilder(URI.create(endpoint() + "/moto-api/")).build(), HttpResponse.BodyHandlers.discarding());
        return;
      } catch (IOException e) {
        sleep();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalStateException("moto_server did not start within 60 s:\n" + Files.readString(log));
  }

  private static void sleep() {
    try {
      Thread.sleep(200);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  /** An IAM client for the unauthenticated set-up calls. */
  public IamClient iam() {
    return IamClient.builder()
        .endpointOverride(URI.create(endpoint()))
        .region(Region.AWS_GLOBAL)
        .credentialsProvider(credentials("AKIASETUP", "setup"))
        .build();
  }

  public static AwsCredentialsProvider credentials(String accessKeyId, String secret) {
    return StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secret));
  }

  @Override
  public void close() {
    process.destroy();
  }
}
