package dev.replicator.trust;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.replicator.testing.Api;
import dev.replicator.testing.Fixtures;
import dev.replicator.testing.TestS3;
import dev.replicator.testing.TestServer;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

/** Verifying trusts against a real S3-compatible server (S3Mock) over HTTP. */
class TrustVerificationIT {

  static TestServer server;
  static TestS3 s3;
  static Api admin;
  static String tenant;

  @BeforeAll
  static void start() {
    s3 = TestS3.get();
    server = TestServer.start(TestServer.LOOPBACK_ALLOWED);
    Fixtures fixtures = new Fixtures(server);
    tenant = fixtures.tenant();
    admin = fixtures.as(fixtures.token(tenant, "ADMIN"));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static String trust(Map<String, Object> body) {
    return Fixtures.trust(admin, tenant, body);
  }

  static JsonNode verify(String trustId, String bucket) {
    Api.Response response =
        admin.post(
            "/api/v1/tenants/" + tenant + "/trusts/" + trustId + "/verify",
            Map.of("bucket", bucket));
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.json();
  }

  static Map<String, JsonNode> checks(JsonNode report) {
    Map<String, JsonNode> checks = new LinkedHashMap<>();
    report.get("checks").forEach(check -> checks.put(check.get("name").asText(), check));
    return checks;
  }

  @Test
  void aVersionedBucketPassesEveryCheckWithoutAnyDataChanging() {
    String bucket = s3.bucket(true);
    s3.client()
        .putObject(b -> b.bucket(bucket).key("existing.txt"), RequestBody.fromString("hello"));
    String trustId = trust(s3.trustBody(Fixtures.unique("s3mock")));

    JsonNode report = verify(trustId, bucket);

    assertThat(report.get("ok").asBoolean()).as(report.toString()).isTrue();
    assertThat(checks(report).keySet())
        .containsExactly(
            "credentials", "bucket", "versioning", "object-lock", "list", "read", "write");
    assertThat(checks(report).get("write").get("detail").asText()).contains("s3:PutObject");
    assertThat(checks(report).values())
        .extracting(check -> check.get("state").asText())
        .containsOnly("PASSED");
    assertThat(s3.keys(bucket)).containsExactly("existing.txt");
    assertThat(s3.client().listMultipartUploads(b -> b.bucket(bucket)).uploads()).isEmpty();
  }

  @Test
  void eachBucketsNewestVerificationIsKeptAndShownOnTheTrustUntilItIsEdited() {
    String trustId = trust(s3.trustBody(Fixtures.unique("kept")));
    String trustPath = "/api/v1/tenants/" + tenant + "/trusts/" + trustId;
    assertThat(admin.get(trustPath).json().get("lastVerification").isNull()).isTrue();
    assertThat(admin.get(trustPath + "/verifications").json().get("items")).isEmpty();

    String bucket = s3.bucket(true);
    JsonNode missing = verify(trustId, "no-such-bucket-kept");
    JsonNode passed = verify(trustId, bucket);

    JsonNode kept = admin.get(trustPath + "/verifications").json().get("items");
    assertThat(kept).hasSize(2);
    assertThat(kept.get(0)).isEqualTo(passed);
    assertThat(kept.get(1)).isEqualTo(missing);
    assertThat(passed.get("bucket").asText()).isEqualTo(bucket);
    JsonNode last = admin.get(trustPath).json().get("lastVerification");
    assertThat(last.get("bucket").asText()).isEqualTo(bucket);
    assertThat(last.get("ok").asBoolean()).isTrue();
    assertThat(last.get("verifiedAt").asText()).isEqualTo(passed.get("verifiedAt").asText());
    assertThat(last.get("beforeLastChange").asBoolean()).isFalse();

    JsonNode again = verify(trustId, "no-such-bucket-kept");
    kept = admin.get(trustPath + "/verifications").json().get("items");
    assertThat(kept)
        .extracting(v -> v.get("bucket").asText())
        .containsExactly("no-such-bucket-kept", bucket);
    assertThat(kept.get(0)).isEqualTo(again);
    JsonNode listed = null;
    for (JsonNode item :
        admin.get("/api/v1/tenants/" + tenant + "/trusts?limit=100").json().get("items")) {
      if (item.get("id").asText().equals(trustId)) {
        listed = item;
      }
    }
    assertThat(listed).isNotNull();
    assertThat(listed.get("lastVerification").get("bucket").asText())
        .isEqualTo("no-such-bucket-kept");
    assertThat(listed.get("lastVerification").get("ok").asBoolean()).isFalse();

    Map<String, Object> rename = new HashMap<>(s3.trustBody(Fixtures.unique("renamed")));
    rename.remove("secretAccessKey");
    Api.Response renamed = admin.put(trustPath, rename);
    assertThat(renamed.status()).as(renamed.body()).isEqualTo(200);
    assertThat(renamed.json().get("lastVerification").get("beforeLastChange").asBoolean()).isTrue();
    assertThat(admin.get(trustPath + "/verifications").json().get("items")).hasSize(2);
  }

  @Test
  void onlyTheMostRecentBucketsAreKeptAndOnlyTheirTenantSeesThem() {
    String trustId = trust(s3.trustBody(Fixtures.unique("recent")));
    String trustPath = "/api/v1/tenants/" + tenant + "/trusts/" + trustId;
    for (int i = 0; i <= 20; i++) {
      verify(trustId, "no-such-bucket-" + i);
    }
    JsonNode kept = admin.get(trustPath + "/verifications").json().get("items");
    assertThat(kept).hasSize(20);
    assertThat(kept.get(0).get("bucket").asText()).isEqualTo("no-such-bucket-20");
    assertThat(kept).extracting(v -> v.get("bucket").asText()).doesNotContain("no-such-bucket-0");

    Fixtures fixtures = new Fixtures(server);
    String other = fixtures.tenant();
    Api otherAdmin = fixtures.as(fixtures.token(other, "ADMIN"));
    assertThat(
            otherAdmin
                .get("/api/v1/tenants/" + other + "/trusts/" + trustId + "/verifications")
                .status())
        .isEqualTo(404);
    assertThat(otherAdmin.get(trustPath + "/verifications").status()).isEqualTo(404);
    Api viewer = fixtures.as(fixtures.token(tenant, "VIEWER"));
    assertThat(viewer.get(trustPath + "/verifications").json().get("items")).hasSize(20);

    assertThat(admin.delete(trustPath).status()).isEqualTo(204);
    assertThat(admin.get(trustPath + "/verifications").status()).isEqualTo(404);
  }

  @Test
  void anUnversionedBucketIsReportedWithHowToEnableVersioning() {
    String bucket = s3.bucket(false);
    JsonNode report = verify(trust(s3.trustBody(Fixtures.unique("unversioned"))), bucket);

    assertThat(report.get("ok").asBoolean()).isFalse();
    JsonNode versioning = checks(report).get("versioning");
    assertThat(versioning.get("ok").asBoolean()).isFalse();
    assertThat(versioning.get("detail").asText())
        .contains("Enable versioning on bucket " + bucket)
        .contains("put-bucket-versioning");
    assertThat(checks(report).get("bucket").get("ok").asBoolean()).isTrue();
  }

  @Test
  void aMissingBucketIsReportedAndDependentChecksAreNotRun() {
    JsonNode report =
        verify(trust(s3.trustBody(Fixtures.unique("missing"))), "no-such-bucket-here");

    assertThat(report.get("ok").asBoolean()).isFalse();
    Map<String, JsonNode> checks = checks(report);
    assertThat(checks.get("bucket").get("detail").asText())
        .contains("does not exist")
        .contains("no-such-bucket-here");
    assertThat(checks.get("versioning").get("detail").asText()).startsWith("Not checked");
    assertThat(checks.get("versioning").get("state").asText()).isEqualTo("NOT_CHECKED");
    assertThat(checks.get("write").get("ok").asBoolean()).isFalse();
  }

  @Test
  void anUnreachableEndpointFailsWithoutRevealingNetworkDetails() {
    Map<String, Object> body = s3.trustBody(Fixtures.unique("closed"), "http://127.0.0.1:9");
    JsonNode report = verify(trust(body), "some-bucket");

    String detail = checks(report).get("bucket").get("detail").asText();
    assertThat(detail)
        .contains("refused the connection")
        .doesNotContain("127.0.0.1")
        .doesNotContain(":9");
  }

  @Test
  void redirectsAreNeverFollowed() throws Exception {
    AtomicInteger hiddenRequests = new AtomicInteger();
    HttpServer hidden = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    hidden.createContext(
        "/",
        exchange -> {
          hiddenRequests.incrementAndGet();
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    HttpServer redirector = HttpServer.create(new InetSocketAddress("127.0.0.2", 0), 0);
    redirector.createContext(
        "/",
        exchange -> {
          exchange
              .getResponseHeaders()
              .add(
                  "Location",
                  "http://127.0.0.1:" + hidden.getAddress().getPort() + "/latest/meta-data/");
          exchange.sendResponseHeaders(307, -1);
          exchange.close();
        });
    hidden.start();
    redirector.start();
    try (TestServer guarded =
        TestServer.start(Map.of("replicator.allowed-endpoint-cidrs", "127.0.0.2/32"))) {
      Fixtures fixtures = new Fixtures(guarded);
      String otherTenant = fixtures.tenant();
      Map<String, Object> body =
          s3.trustBody(
              Fixtures.unique("redirect"), "http://127.0.0.2:" + redirector.getAddress().getPort());
      Api tenantAdmin = fixtures.as(fixtures.token(otherTenant, "ADMIN"));
      String trustId = Fixtures.trust(tenantAdmin, otherTenant, body);

      Api.Response report =
          tenantAdmin.post(
              "/api/v1/tenants/" + otherTenant + "/trusts/" + trustId + "/verify",
              Map.of("bucket", "any-bucket"));

      assertThat(report.json().get("ok").asBoolean()).isFalse();
      assertThat(hiddenRequests.get()).isZero();
    } finally {
      redirector.stop(0);
      hidden.stop(0);
    }
  }
}
