package dev.replicator.testing;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.util.HashMap;
import java.util.Map;

/**
 * A Replicator server in this JVM, on a random port, against its own fresh PostgreSQL database.
 * Restartable, for tests that prove state survives a restart.
 */
public final class TestServer implements AutoCloseable {

  public static final String ADMIN_TOKEN = "test-admin-token-0123456789abcdefghij";

  /**
   * A fixed master key (base64 of 32 bytes), so tests can restart servers and read what earlier
   * ones sealed.
   */
  public static final String MASTER_KEY = "dGVzdC1tYXN0ZXIta2V5LTAxMjM0NTY3ODlhYmNkZWY=";

  /**
   * For tests whose S3 servers run on this machine: the endpoint guard refuses loopback otherwise.
   */
  public static final Map<String, Object> LOOPBACK_ALLOWED =
      Map.of("replicator.allowed-endpoint-cidrs", "127.0.0.0/8,::1/128");

  private final Map<String, Object> properties;
  private final TestPostgres.Database database;
  private EmbeddedServer server;

  private TestServer(TestPostgres.Database database, Map<String, Object> extra) {
    this.database = database;
    this.properties = new HashMap<>();
    properties.put("datasources.default.url", database.url());
    properties.put("datasources.default.username", database.username());
    properties.put("datasources.default.password", database.password());
    properties.put("replicator.admin-token", ADMIN_TOKEN);
    properties.put("replicator.auth.bcrypt-cost", 4);
    properties.put("replicator.master-key", MASTER_KEY);
    properties.put("micronaut.server.port", -1);
    properties.putAll(extra);
  }

  public static TestServer start() {
    return start(Map.of());
  }

  public static TestServer start(Map<String, Object> extra) {
    return start(TestPostgres.freshDatabase(), extra);
  }

  public static TestServer start(TestPostgres.Database database, Map<String, Object> extra) {
    TestServer test = new TestServer(database, extra);
    test.boot();
    return test;
  }

  private void boot() {
    server = ApplicationContext.run(EmbeddedServer.class, properties, "test");
  }

  /**
   * Stops and starts the server on the same port and database, so existing clients keep working.
   */
  public void restart() {
    int port = server.getPort();
    server.getApplicationContext().close();
    properties.put("micronaut.server.port", port);
    boot();
  }

  public String baseUrl() {
    return "http://localhost:" + server.getPort();
  }

  public ApplicationContext context() {
    return server.getApplicationContext();
  }

  public TestPostgres.Database database() {
    return database;
  }

  public Api api() {
    return new Api(baseUrl(), null);
  }

  public Api admin() {
    return api().withToken(ADMIN_TOKEN);
  }

  @Override
  public void close() {
    server.getApplicationContext().close();
  }
}
