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
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;

/**
 * moto's server (S3, STS and IAM with real signature checks and IAM policies) in its own process.
 * IAM authentication is enforced from the {@code unauthenticatedSetupCalls + 1}-th request on, so
 * the test first creates its users, keys and roles without credentials, then everything is checked.
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
    return Stream.concat(
            Stream.of(path == null ? new String[0] : path.split(":")),
            Stream.of(System.getProperty("user.home") + "/.pyenv/shims"))
        .map(dir -> Path.of(dir, "moto_server"))
        .filter(Files::isExecutable)
        .findFirst();
  }

  public static MotoServer start(Path executable, int unauthenticatedSetupCalls)
      throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Path log = Files.createTempFile("moto", ".log");
    ProcessBuilder builder =
        new ProcessBuilder(executable.toString(), "-H", "127.0.0.1", "-p", Integer.toString(port))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder
        .environment()
        .put("INITIAL_NO_AUTH_ACTION_COUNT", Integer.toString(unauthenticatedSetupCalls));
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
        http.send(
            HttpRequest.newBuilder(URI.create(endpoint() + "/moto-api/")).build(),
            HttpResponse.BodyHandlers.discarding());
        return;
      } catch (IOException e) {
        sleep();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalStateException(
        "moto_server did not start within 60 s:\n" + Files.readString(log));
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

  /** An IAM policy that allows every S3 action. */
  public static final String ALLOW_S3 =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}";

  /**
   * Creates (with set-up calls: three) an IAM user that may do anything in S3, and returns its
   * access key.
   */
  public AccessKey s3User(String userName) {
    try (IamClient iam = iam()) {
      iam.createUser(b -> b.userName(userName));
      AccessKey key = iam.createAccessKey(b -> b.userName(userName)).accessKey();
      iam.putUserPolicy(b -> b.userName(userName).policyName("s3").policyDocument(ALLOW_S3));
      return key;
    }
  }

  /** An S3 client of this server with {@code key}'s credentials (path-style, us-east-1). */
  public S3Client s3(AccessKey key) {
    return S3Client.builder()
        .endpointOverride(URI.create(endpoint()))
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .credentialsProvider(credentials(key.accessKeyId(), key.secretAccessKey()))
        .build();
  }

  /**
   * The body of a static trust at {@code endpoint} (this server, or a proxy in front of it) with
   * {@code key}.
   */
  public static Map<String, Object> trustBody(String endpoint, AccessKey key) {
    return Map.of(
        "name",
        Fixtures.unique("moto"),
        "type",
        "STATIC",
        "endpoint",
        endpoint,
        "region",
        "us-east-1",
        "pathStyle",
        true,
        "accessKeyId",
        key.accessKeyId(),
        "secretAccessKey",
        key.secretAccessKey());
  }

  /** Creates a versioned bucket named after {@code prefix}. */
  public static String versionedBucket(S3Client client, String prefix) {
    String name = Fixtures.unique(prefix);
    client.createBucket(b -> b.bucket(name));
    client.putBucketVersioning(
        b -> b.bucket(name).versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
    return name;
  }

  public static AwsCredentialsProvider credentials(String accessKeyId, String secret) {
    return StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secret));
  }

  @Override
  public void close() {
    process.destroy();
  }
}
