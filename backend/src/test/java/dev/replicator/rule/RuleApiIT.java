package dev.replicator.rule;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.replicator.testing.Api;
import dev.replicator.testing.Fixtures;
import dev.replicator.testing.Sql;
import dev.replicator.testing.TestS3;
import dev.replicator.testing.TestServer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Replication rules through the API, against a real S3-compatible server for the source versioning
 * check.
 */
class RuleApiIT {

  static final ObjectMapper JSON = new ObjectMapper();

  static TestServer server;
  static TestS3 s3;
  static Fixtures fixtures;

  @BeforeAll
  static void start() {
    s3 = TestS3.get();
    server = TestServer.start(TestServer.LOOPBACK_ALLOWED);
    fixtures = new Fixtures(server);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** A tenant with an admin client and one trust to the S3 server. */
  record Tenant(String id, Api admin, String trust) {
    String rules() {
      return "/api/v1/tenants/" + id + "/rules";
    }
  }

  static Tenant tenant() {
    String id = fixtures.tenant();
    Api admin = fixtures.as(fixtures.token(id, "ADMIN"));
    String trust = Fixtures.trust(admin, id, s3.trustBody(Fixtures.unique("s3")));
    return new Tenant(id, admin, trust);
  }

  static Map<String, Object> rule(Tenant tenant, String source, String destination) {
    Map<String, Object> body = new HashMap<>();
    body.put("name", Fixtures.unique("rule"));
    body.put("source", Map.of("trustId", tenant.trust(), "bucket", source));
    body.put("destinations", List.of(Map.of("trustId", tenant.trust(), "bucket", destination)));
    return body;
  }

  static long rulesOf(Tenant tenant) {
    return Sql.count(
        server.database(), "SELECT count(*) FROM rules WHERE tenant_id = '" + tenant.id() + "'");
  }

  @Test
  void aRuleIsCreatedWithAwsDefaults() {
    Tenant tenant = tenant();
    Api.Response created =
        tenant.admin().post(tenant.rules(), rule(tenant, s3.bucket(true), s3.bucket(true)));

    assertThat(created.status()).as(created.body()).isEqualTo(201);
    JsonNode rule = created.json();
    assertThat(rule.get("status").asText()).isEqualTo("ENABLED");
    assertThat(rule.get("priority").asInt()).isZero();
    assertThat(rule.get("deleteMarkerReplication").asBoolean()).isFalse();
    assertThat(rule.get("replicationTime").get("enabled").asBoolean()).isFalse();
    assertThat(rule.get("replicationTime").get("thresholdMinutes").asInt()).isEqualTo(15);
    assertThat(rule.get("scanIntervalSeconds").asInt()).isEqualTo(300);
    assertThat(rule.get("filter").get("prefix").isNull()).isTrue();
    assertThat(tenant.admin().get(tenant.rules() + "/" + rule.get("id").asText()).json())
        .isEqualTo(rule);
    assertThat(tenant.admin().get("/api/v1/tenants/" + tenant.id() + "/audit").body())
        .contains("rule.create");
  }

  @Test
  void anUnversionedSourceIsRefusedForEnabledRulesAndEnablingLater() {
    Tenant tenant = tenant();
    String unversioned = s3.bucket(false);
    Api.Response refused =
        tenant.admin().post(tenant.rules(), rule(tenant, unversioned, s3.bucket(true)));

    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json().get("type").asText()).endsWith("source-not-versioned");
    assertThat(refused.json().get("detail").asText())
        .contains("Enable versioning on bucket " + unversioned);
    assertThat(rulesOf(tenant)).isZero();

    Map<String, Object> disabled = rule(tenant, unversioned, s3.bucket(true));
    disabled.put("status", "DISABLED");
    JsonNode rule = Fixtures.rule(tenant.admin(), tenant.id(), disabled);
    disabled.put("status", "ENABLED");
    Api.Response enabling =
        tenant.admin().put(tenant.rules() + "/" + rule.get("id").asText(), disabled);
    assertThat(enabling.status()).isEqualTo(400);
    assertThat(
            tenant
                .admin()
                .get(tenant.rules() + "/" + rule.get("id").asText())
                .json()
                .get("status")
                .asText())
        .isEqualTo("DISABLED");

    s3.client()
        .putBucketVersioning(
            b -> b.bucket(unversioned).versioningConfiguration(v -> v.status("Enabled")));
    Api.Response enabled =
        tenant.admin().put(tenant.rules() + "/" + rule.get("id").asText(), disabled);
    assertThat(enabled.status()).as(enabled.body()).isEqualTo(200);
    assertThat(enabled.json().get("liveSince").asText()).isEqualTo(rule.get("liveSince").asText());
  }

  @Test
  void deleteMarkersCannotBeReplicatedWithATagFilter() {
    Tenant tenant = tenant();
    Map<String, Object> body = rule(tenant, s3.bucket(true), s3.bucket(true));
    body.put("filter", Map.of("tags", Map.of("team", "data")));
    body.put("deleteMarkerReplication", true);
    Api.Response response = tenant.admin().post(tenant.rules(), body);
    assertThat(response.status()).isEqualTo(400);
    assertThat(response.json().get("errors").get(0).get("field").asText())
        .isEqualTo("deleteMarkerReplication");
  }

  @Test
  void invalidRulesListEveryProblemAndStoreNothing() {
    Tenant tenant = tenant();
    Map<String, Object> body = new HashMap<>();
    body.put("name", "bad");
    body.put("source", Map.of("trustId", "00000000-0000-7000-8000-000000000000", "bucket", "x"));
    body.put(
        "destinations",
        List.of(
            Map.of("trustId", tenant.trust(), "bucket", "replica-bucket", "storageClass", "FAST"),
            Map.of("trustId", tenant.trust(), "bucket", "replica-bucket")));
    body.put("replicationTime", Map.of("enabled", true, "thresholdMinutes", 0));
    body.put("scanIntervalSeconds", 5);

    Api.Response response = tenant.admin().unchecked().post(tenant.rules(), body);

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.json().get("errors"))
        .extracting(e -> e.get("field").asText())
        .contains(
            "source.trustId",
            "source.bucket",
            "destinations[0].storageClass",
            "destinations[1]",
            "replicationTime.thresholdMinutes",
            "scanIntervalSeconds");
    assertThat(rulesOf(tenant)).isZero();
  }

  @Test
  void aBucketCannotReplicateToItselfAndPrioritiesAreUniquePerSource() {
    Tenant tenant = tenant();
    String source = s3.bucket(true);
    Api.Response self = tenant.admin().post(tenant.rules(), rule(tenant, source, source));
    assertThat(self.status()).isEqualTo(400);
    assertThat(self.body()).contains("cannot replicate to itself");

    assertThat(tenant.admin().post(tenant.rules(), rule(tenant, source, s3.bucket(true))).status())
        .isEqualTo(201);
    Api.Response samePriority =
        tenant.admin().post(tenant.rules(), rule(tenant, source, s3.bucket(true)));
    assertThat(samePriority.status()).isEqualTo(409);
    assertThat(samePriority.json().get("detail").asText()).contains("priorit");
  }

  @Test
  void aTrustInUseCannotBeDeletedUntilItsRulesAreGone() {
    Tenant tenant = tenant();
    String ruleId =
        Fixtures.rule(tenant.admin(), tenant.id(), rule(tenant, s3.bucket(true), s3.bucket(true)))
            .get("id")
            .asText();
    String trustPath = "/api/v1/tenants/" + tenant.id() + "/trusts/" + tenant.trust();

    Api.Response inUse = tenant.admin().delete(trustPath);
    assertThat(inUse.status()).isEqualTo(409);
    assertThat(inUse.json().get("detail").asText()).contains("used by replication rules");

    assertThat(tenant.admin().delete(tenant.rules() + "/" + ruleId).status()).isEqualTo(204);
    assertThat(tenant.admin().delete(trustPath).status()).isEqualTo(204);
  }

  @Test
  void rulesCanBeListedBySource() {
    Tenant tenant = tenant();
    String source = s3.bucket(true);
    Fixtures.rule(tenant.admin(), tenant.id(), rule(tenant, source, s3.bucket(true)));
    Fixtures.rule(tenant.admin(), tenant.id(), rule(tenant, s3.bucket(true), s3.bucket(true)));

    JsonNode items =
        tenant
            .admin()
            .get(tenant.rules() + "?trustId=" + tenant.trust() + "&bucket=" + source)
            .json()
            .get("items");
    assertThat(items).hasSize(1);
    assertThat(items.get(0).get("source").get("bucket").asText()).isEqualTo(source);
    assertThat(tenant.admin().get(tenant.rules()).json().get("items")).hasSize(2);
  }

  @Test
  void theExportIsTheAwsDocumentAndImportsBackIntoTheSameRules() throws Exception {
    Tenant tenant = tenant();
    String source = s3.bucket(true);
    String replica = s3.bucket(true);
    String archive = s3.bucket(true);
    Map<String, Object> body = rule(tenant, source, replica);
    body.put("name", "Tax documents");
    body.put("priority", 7);
    body.put("filter", Map.of("prefix", "Tax/", "tags", Map.of("class", "finance")));
    body.put(
        "destinations",
        List.of(
            Map.of(
                "trustId",
                tenant.trust(),
                "bucket",
                replica,
                "storageClass",
                "STANDARD_IA",
                "ownerOverride",
                true),
            Map.of(
                "trustId",
                tenant.trust(),
                "bucket",
                archive,
                "kmsKeyId",
                "arn:aws:kms:us-east-1:111122223333:key/abc")));
    body.put("replicaModifications", true);
    body.put("replicationTime", Map.of("enabled", true));
    JsonNode created = Fixtures.rule(tenant.admin(), tenant.id(), body);

    JsonNode export =
        tenant
            .admin()
            .get(tenant.rules() + "/export?trustId=" + tenant.trust() + "&bucket=" + source)
            .json();

    JsonNode rules = export.get("ReplicationConfiguration").get("Rules");
    assertThat(rules).hasSize(2);
    JsonNode first = rules.get(0);
    assertThat(first.get("ID").asText()).isEqualTo("Tax documents");
    assertThat(rules.get(1).get("ID").asText()).isEqualTo("Tax documents#2");
    assertThat(first.get("Priority").asInt()).isEqualTo(7);
    assertThat(first.get("Status").asText()).isEqualTo("Enabled");
    assertThat(first.get("Filter").get("And").get("Prefix").asText()).isEqualTo("Tax/");
    assertThat(first.get("Filter").get("And").get("Tags").get(0).get("Key").asText())
        .isEqualTo("class");
    assertThat(first.get("Destination").get("Bucket").asText())
        .isEqualTo("arn:aws:s3:::" + replica);
    assertThat(first.get("Destination").get("StorageClass").asText()).isEqualTo("STANDARD_IA");
    assertThat(first.get("Destination").get("AccessControlTranslation").get("Owner").asText())
        .isEqualTo("Destination");
    assertThat(first.get("Destination").get("ReplicationTime").get("Time").get("Minutes").asInt())
        .isEqualTo(15);
    assertThat(first.get("DeleteMarkerReplication").get("Status").asText()).isEqualTo("Disabled");
    assertThat(
            first.get("SourceSelectionCriteria").get("ReplicaModifications").get("Status").asText())
        .isEqualTo("Enabled");
    assertThat(
            rules
                .get(1)
                .get("Destination")
                .get("EncryptionConfiguration")
                .get("ReplicaKmsKeyID")
                .asText())
        .contains("key/abc");

    Tenant other = tenant();
    String otherSource = s3.bucket(true);
    Api.Response imported =
        other
            .admin()
            .post(
                other.rules() + "/import",
                Map.of(
                    "source", Map.of("trustId", other.trust(), "bucket", otherSource),
                    "destinationTrusts",
                        Map.of(
                            "arn:aws:s3:::" + replica,
                            other.trust(),
                            "arn:aws:s3:::" + archive,
                            other.trust()),
                    "configuration", JSON.convertValue(export, Map.class)));

    assertThat(imported.status()).as(imported.body()).isEqualTo(201);
    JsonNode copy = imported.json().get("items").get(0);
    assertThat(imported.json().get("items")).hasSize(1);
    for (String field :
        List.of(
            "name",
            "status",
            "priority",
            "filter",
            "deleteMarkerReplication",
            "replicaModifications",
            "replicationTime",
            "scanIntervalSeconds")) {
      assertThat(copy.get(field)).as(field).isEqualTo(created.get(field));
    }
    assertThat(copy.get("destinations").toString().replace(other.trust(), "T"))
        .isEqualTo(created.get("destinations").toString().replace(tenant.trust(), "T"));
  }

  @Test
  void aV1DocumentReplicatesDeleteMarkersAndGetsPrioritiesInOrder() {
    Tenant tenant = tenant();
    String replica = s3.bucket(true);
    Map<String, Object> configuration =
        Map.of(
            "Role",
            "arn:aws:iam::123456789012:role/s3-replication",
            "Rules",
            List.of(
                Map.of(
                    "ID",
                    "logs",
                    "Prefix",
                    "logs/",
                    "Status",
                    "Enabled",
                    "Destination",
                    Map.of("Bucket", "arn:aws:s3:::" + replica)),
                Map.of(
                    "ID",
                    "images",
                    "Prefix",
                    "img/",
                    "Status",
                    "Disabled",
                    "Destination",
                    Map.of("Bucket", "arn:aws:s3:::" + replica))));

    Api.Response imported =
        tenant
            .admin()
            .post(
                tenant.rules() + "/import",
                Map.of(
                    "source", Map.of("trustId", tenant.trust(), "bucket", s3.bucket(true)),
                    "destinationTrusts", Map.of("arn:aws:s3:::" + replica, tenant.trust()),
                    "configuration", configuration));

    assertThat(imported.status()).as(imported.body()).isEqualTo(201);
    JsonNode items = imported.json().get("items");
    assertThat(items.get(0).get("filter").get("prefix").asText()).isEqualTo("logs/");
    assertThat(items.get(0).get("deleteMarkerReplication").asBoolean()).isTrue();
    assertThat(items.get(1).get("status").asText()).isEqualTo("DISABLED");
    assertThat(items.get(0).get("priority").asInt())
        .isGreaterThan(items.get(1).get("priority").asInt());
  }

  @Test
  void anImportWithAnyProblemStoresNothingAndListsEveryProblem() {
    Tenant tenant = tenant();
    String replica = s3.bucket(true);
    Map<String, Object> configuration =
        Map.of(
            "ReplicationConfiguration",
            Map.of(
                "Role",
                "",
                "Rules",
                List.of(
                    Map.of(
                        "ID",
                        "fine",
                        "Priority",
                        1,
                        "Status",
                        "Enabled",
                        "Filter",
                        Map.of("Prefix", "a/"),
                        "Destination",
                        Map.of("Bucket", "arn:aws:s3:::" + replica)),
                    Map.of(
                        "ID",
                        "unmapped",
                        "Priority",
                        2,
                        "Status",
                        "Enabled",
                        "Filter",
                        Map.of(),
                        "Destination",
                        Map.of("Bucket", "arn:aws:s3:::somewhere-else")),
                    Map.of(
                        "ID",
                        "tags-and-markers",
                        "Priority",
                        3,
                        "Status",
                        "Sometimes",
                        "Filter",
                        Map.of("Tag", Map.of("Key", "k", "Value", "v")),
                        "DeleteMarkerReplication",
                        Map.of("Status", "Enabled"),
                        "Destination",
                        Map.of("Bucket", "arn:aws:s3:::" + replica)))));

    // A Status AWS does not have is outside the contract, on purpose.
    Api.Response refused =
        tenant
            .admin()
            .unchecked()
            .post(
                tenant.rules() + "/import",
                Map.of(
                    "source", Map.of("trustId", tenant.trust(), "bucket", s3.bucket(true)),
                    "destinationTrusts", Map.of("arn:aws:s3:::" + replica, tenant.trust()),
                    "configuration", configuration));

    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json().get("errors"))
        .extracting(e -> e.get("field").asText())
        .contains(
            "configuration.ReplicationConfiguration.Rules[1].Destination.Bucket",
            "configuration.ReplicationConfiguration.Rules[2].Status");
    assertThat(refused.json().get("detail").asText()).contains("nothing was stored");
    assertThat(rulesOf(tenant)).isZero();
  }
}
