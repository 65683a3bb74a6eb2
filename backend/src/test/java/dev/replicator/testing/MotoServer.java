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
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

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

  /**
   * Starts moto_server, or skips the test (with {@code whyNeeded}: a message that moto_server is
   * not installed, and what the test needs it for) where it is not installed.
   */
  public static MotoServer startOrSkip(int unauthenticatedSetupCalls, String whyNeeded)
      throws IOException {
    Optional<Path> executable = executable();
    Assumptions.assumeTrue(executable.isPresent(), whyNeeded);
    return start(executable.get(), unauthenticatedSetupCalls);
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

  /** An IAM policy that allows assuming any role. */
  public static final String ALLOW_ASSUME =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\",\"Resource\":\"*\"}]}";

  /**
   * Creates (with set-up calls: three) an IAM user that may do anything in S3, and returns its
   * access key.
   */
  public AccessKey s3User(String userName) {
    return user(userName, "s3", ALLOW_S3);
  }

  /**
   * Creates (with set-up calls: three) an IAM user with the inline policy {@code policy} named
   * {@code policyName}, and returns its access key.
   */
  public AccessKey user(String userName, String policyName, String policy) {
    try (IamClient iam = iam()) {
      AccessKey key = user(iam, userName);
      iam.putUserPolicy(b -> b.userName(userName).policyName(policyName).policyDocument(policy));
      return key;
    }
  }

  /**
   * Creates (with set-up calls: two) an IAM user that may do nothing, and returns its access key.
   */
  public AccessKey user(String userName) {
    try (IamClient iam = iam()) {
      return user(iam, userName);
    }
  }

  private static AccessKey user(IamClient iam, String userName) {
    iam.createUser(b -> b.userName(userName));
    return iam.createAccessKey(b -> b.userName(userName)).accessKey();
  }

  /**
   * Creates (with set-up calls: two) a role that may do anything in S3 and that the IAM user {@code
   * trustedUser} of account 123456789012 may assume, in {@code account} (null: in 123456789012
   * too), and returns its ARN.
   */
  public String s3Role(String roleName, String trustedUser, String account) {
    Consumer<AwsRequestOverrideConfiguration.Builder> inAccount =
        o -> {
          if (account != null) {
            o.putHeader("x-moto-account-id", account);
          }
        };
    try (IamClient iam = iam()) {
      String arn =
          iam.createRole(
                  b ->
                      b.roleName(roleName)
                          .assumeRolePolicyDocument(
                              "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
                                  + "{\"AWS\":\"arn:aws:iam::123456789012:user/"
                                  + trustedUser
                                  + "\"},\"Action\":\"sts:AssumeRole\"}]}")
                          .overrideConfiguration(inAccount))
              .role()
              .arn();
      iam.putRolePolicy(
          b ->
              b.roleName(roleName)
                  .policyName("s3")
                  .policyDocument(ALLOW_S3)
                  .overrideConfiguration(inAccount));
      return arn;
    }
  }

  /** An S3 client of this server with {@code key}'s credentials (path-style, us-east-1). */
  public S3Client s3(AccessKey key) {
    return s3(credentials(key.accessKeyId(), key.secretAccessKey()));
  }

  /** An S3 client of this server with {@code credentials} (path-style, us-east-1). */
  public S3Client s3(AwsCredentialsProvider credentials) {
    return S3Client.builder()
        .endpointOverride(URI.create(endpoint()))
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .credentialsProvider(credentials)
        .build();
  }

  /** An STS client of this server with {@code key}'s credentials (us-east-1). */
  public StsClient sts(AccessKey key) {
    return StsClient.builder()
        .endpointOverride(URI.create(endpoint()))
        .region(Region.US_EAST_1)
        .credentialsProvider(credentials(key.accessKeyId(), key.secretAccessKey()))
        .build();
  }

  /** The credentials of {@code roleArn}, assumed through {@code sts} as session {@code session}. */
  public static StsAssumeRoleCredentialsProvider assumed(
      StsClient sts, String roleArn, String session, String externalId) {
    return StsAssumeRoleCredentialsProvider.builder()
        .stsClient(sts)
        .refreshRequest(r -> r.roleArn(roleArn).roleSessionName(session).externalId(externalId))
        .build();
  }

  /**
   * The body of a static trust at {@code endpoint} (this server, or a proxy in front of it) with
   * {@code key}.
   */
  public static Map<String, Object> trustBody(String endpoint, AccessKey key) {
    return trustBody(endpoint, key.accessKeyId(), key.secretAccessKey());
  }

  /** The body of a static trust at {@code endpoint} with this access key and secret. */
  public static Map<String, Object> trustBody(
      String endpoint, String accessKeyId, String secretAccessKey) {
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
        accessKeyId,
        "secretAccessKey",
        secretAccessKey);
  }

  /** Creates a versioned bucket named after {@code prefix}. */
  public static String versionedBucket(S3Client client, String prefix) {
    String name = Fixtures.unique(prefix);
    createVersioned(client, name);
    return name;
  }

  /** Creates the bucket {@code name} and enables its versioning. */
  public static void createVersioned(S3Client client, String name) {
    client.createBucket(b -> b.bucket(name));
    client.putBucketVersioning(
        b -> b.bucket(name).versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
  }

  public static AwsCredentialsProvider credentials(String accessKeyId, String secret) {
    return StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secret));
  }

  @Override
  public void close() {
    process.destroy();
  }
}
