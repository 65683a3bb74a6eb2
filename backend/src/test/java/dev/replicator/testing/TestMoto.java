package dev.replicator.testing;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * moto's S3 without IAM enforcement, one per test JVM: a second S3 implementation for the
 * replication tests, whose listings give Last-Modified in whole seconds like S3 itself. Absent
 * where {@code moto_server} is not installed.
 */
public final class TestMoto implements TestStore {

  private static final String ACCESS_KEY = "AKIAMOTOTEST";
  private static final String SECRET_KEY = "moto-test-secret";
  private static TestMoto instance;

  private final MotoServer server;
  private final S3Client client;

  private TestMoto(MotoServer server) {
    this.server = server;
    this.client =
        S3Client.builder()
            .endpointOverride(URI.create(server.endpoint()))
            .region(Region.US_EAST_1)
            .forcePathStyle(true)
            .credentialsProvider(MotoServer.credentials(ACCESS_KEY, SECRET_KEY))
            .build();
  }

  /** The shared moto server, or empty when moto_server is not installed. */
  public static synchronized Optional<TestMoto> get() {
    if (instance == null) {
      Optional<Path> executable = MotoServer.executable();
      if (executable.isEmpty()) {
        return Optional.empty();
      }
      try {
        instance = new TestMoto(MotoServer.start(executable.get(), Integer.MAX_VALUE));
      } catch (IOException e) {
        throw new IllegalStateException("Could not start moto_server", e);
      }
      Runtime.getRuntime().addShutdownHook(new Thread(instance.server::close));
    }
    return Optional.of(instance);
  }

  @Override
  public String name() {
    return "moto";
  }

  @Override
  public S3Client client() {
    return client;
  }

  @Override
  public String bucketPrefix() {
    return "m-";
  }

  @Override
  public Map<String, Object> trustBody(String name) {
    return Map.of(
        "name",
        name,
        "type",
        "STATIC",
        "endpoint",
        server.endpoint(),
        "region",
        "us-east-1",
        "pathStyle",
        true,
        "accessKeyId",
        ACCESS_KEY,
        "secretAccessKey",
        SECRET_KEY);
  }
}
