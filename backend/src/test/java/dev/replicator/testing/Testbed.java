package dev.replicator.testing;

import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A server whose schedulers and workers poll quickly, with one tenant, its ADMIN API and a trust to
 * the test S3 server: what most replication tests start from.
 */
public final class Testbed implements AutoCloseable {

  public final TestServer server;
  public final TestS3 s3;
  public final S3Client client;
  public final String tenant;
  public final Api admin;
  public final String trust;

  private Testbed(TestServer server, TestS3 s3) {
    this.server = server;
    this.s3 = s3;
    this.client = s3.client();
    Fixtures fixtures = new Fixtures(server);
    this.tenant = fixtures.tenant();
    this.admin = fixtures.as(fixtures.token(tenant, "ADMIN"));
    this.trust = Fixtures.trust(admin, tenant, s3.trustBody("s3"));
  }

  /** Starts a server with quick ticks (overridden or added to by {@code settings}). */
  public static Testbed start(Map<String, Object> settings) {
    Map<String, Object> config = new HashMap<>(TestServer.LOOPBACK_ALLOWED);
    config.put("replicator.worker.poll-interval", "100ms");
    config.put("replicator.scan.tick", "200ms");
    config.put("replicator.batch.tick", "200ms");
    config.put("replicator.webhooks.tick", "200ms");
    config.putAll(settings);
    return new Testbed(TestServer.start(config), TestS3.get());
  }

  /** A path under this tenant, e.g. {@code /rules}. */
  public String path(String path) {
    return "/api/v1/tenants/" + tenant + path;
  }

  /** The API as a new token of this tenant with {@code role}. */
  public Api as(String role) {
    Fixtures fixtures = new Fixtures(server);
    return fixtures.as(fixtures.token(tenant, role));
  }

  @Override
  public void close() {
    server.close();
  }
}
