package dev.replicator.replication;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.replicator.testing.Api;
import dev.replicator.testing.Eventually;
import dev.replicator.testing.Fixtures;
import dev.replicator.testing.MotoServer;
import dev.replicator.testing.RandomFiles;
import dev.replicator.testing.Sql;
import dev.replicator.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Cross-account replication against moto with IAM enforced: the source is read with an access key
 * of account 123456789012, the replica is written by assuming a role of account 444455556666.
 */
class CrossAccountIT {

  static final String OTHER_ACCOUNT = "444455556666";

  static MotoServer moto;
  static AccessKey replicator;
  static AccessKey sourceUser;
  static String roleArn;
  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    moto =
        MotoServer.startOrSkip(
            8,
            "moto_server is not installed, so there is no multi-account S3 and STS server to replicate across accounts with");
    replicator = moto.user("replicator", "assume", MotoServer.ALLOW_ASSUME);
    sourceUser = moto.s3User("source");
    roleArn = moto.s3Role("replica-writer", "replicator", OTHER_ACCOUNT);
    Map<String, Object> config = new HashMap<>(TestServer.LOOPBACK_ALLOWED);
    config.put("replicator.aws.sts-endpoint", moto.endpoint());
    config.put("test.base-credentials.access-key-id", replicator.accessKeyId());
    config.put("test.base-credentials.secret-access-key", replicator.secretAccessKey());
    config.put("replicator.scan.tick", "200ms");
    config.put("replicator.worker.poll-interval", "100ms");
    config.put("replicator.worker.multipart-threshold", 6 * 1024 * 1024);
    config.put("replicator.worker.part-size", 5 * 1024 * 1024);
    config.put("replicator.worker.copy-cutoff", 6 * 1024 * 1024);
    config.put("replicator.worker.server-side-copy-above", 0);
    server = TestServer.start(config);
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    if (moto != null) {
      moto.close();
    }
  }

  @Test
  void aNewVersionIsReplicatedIntoAnotherAccountWithItsAttributes() {
    StsClient sts = moto.sts(replicator);
    S3Client accountA = moto.s3(sourceUser);
    S3Client accountB = moto.s3(MotoServer.assumed(sts, roleArn, "test-setup", "test-setup"));
    MotoServer.createVersioned(accountA, "source-in-a");
    MotoServer.createVersioned(accountB, "replica-in-b");

    Fixtures fixtures = new Fixtures(server);
    String tenant = fixtures.tenant();
    Api admin = fixtures.as(fixtures.token(tenant, "ADMIN"));
    String sourceTrust =
        Fixtures.trust(
            admin,
            tenant,
            Fixtures.with(MotoServer.trustBody(moto.endpoint(), sourceUser), "name", "account-a"));
    String destinationTrust =
        Fixtures.trust(
            admin,
            tenant,
            Map.of(
                "name",
                "account-b",
                "type",
                "ASSUME_ROLE",
                "endpoint",
                moto.endpoint(),
                "region",
                "us-east-1",
                "pathStyle",
                true,
                "roleArn",
                roleArn));
    JsonNode rule =
        Fixtures.rule(
            admin,
            tenant,
            Fixtures.ruleBody(
                "a-to-b",
                30,
                sourceTrust,
                "source-in-a",
                Fixtures.destination(destinationTrust, "replica-in-b")));
    assertThat(rule.get("id")).as(rule.toString()).isNotNull();
    Fixtures.untilLive(rule);

    String version =
        accountA
            .putObject(
                b ->
                    b.bucket("source-in-a")
                        .key("ledger.json")
                        .contentType("application/json")
                        .cacheControl("no-cache")
                        .metadata(Map.of("team", "finance"))
                        .tagging("class=confidential"),
                RequestBody.fromString("{\"total\": 42}"))
            .versionId();
    Sql.update(
        server.database(), "UPDATE rule_scans SET next_scan_at = now() - interval '1 second'");

    Eventually.await(
        "the replica in account B",
        Duration.ofSeconds(45),
        () -> !accountB.listObjectVersions(b -> b.bucket("replica-in-b")).versions().isEmpty(),
        Eventually.tasksOf(server.database()));

    HeadObjectResponse replica =
        accountB.headObject(b -> b.bucket("replica-in-b").key("ledger.json"));
    assertThat(
            accountB
                .getObjectAsBytes(b -> b.bucket("replica-in-b").key("ledger.json"))
                .asUtf8String())
        .isEqualTo("{\"total\": 42}");
    assertThat(replica.contentType()).isEqualTo("application/json");
    assertThat(replica.cacheControl()).isEqualTo("no-cache");
    assertThat(replica.metadata())
        .containsEntry("team", "finance")
        .containsEntry("replicator-source-version-id", version);
    assertThat(accountB.getObjectTagging(b -> b.bucket("replica-in-b").key("ledger.json")).tagSet())
        .anySatisfy(
            tag -> assertThat(tag.key() + "=" + tag.value()).isEqualTo("class=confidential"));
  }

  @Test
  void onOneAwsCompatibleEndpointTheStoreCopiesServerSide() throws Exception {
    S3Client accountA = moto.s3(sourceUser);
    for (String bucket : List.of("same-endpoint-source", "same-endpoint-replica")) {
      MotoServer.createVersioned(accountA, bucket);
    }
    Map<String, Object> awsLike =
        Fixtures.with(MotoServer.trustBody(moto.endpoint(), sourceUser), "name", "aws-like");
    Fixtures.TenantRule created =
        new Fixtures(server)
            .tenantRule(
                Fixtures.with(awsLike, "compatibility", "AWS"),
                "server-side",
                30,
                "same-endpoint-source",
                "same-endpoint-replica");
    Fixtures.untilLive(created.rule());
    accountA.putObject(
        b ->
            b.bucket("same-endpoint-source")
                .key("copied.txt")
                .contentType("text/plain")
                .metadata(Map.of("origin", "a"))
                .tagging("k=v"),
        RequestBody.fromString("copied by the store"));
    Path large = Files.createTempFile("large", ".bin");
    String largeMd5 = RandomFiles.write(large, 13L * 1024 * 1024, 7);
    accountA.putObject(
        b -> b.bucket("same-endpoint-source").key("large.bin"), RequestBody.fromFile(large));
    Sql.update(
        server.database(), "UPDATE rule_scans SET next_scan_at = now() - interval '1 second'");

    Eventually.await(
        "the server-side replicas",
        Duration.ofSeconds(45),
        () ->
            Sql.count(
                    server.database(),
                    "SELECT count(*) FROM replication_tasks WHERE source_key IN ('copied.txt', 'large.bin') "
                        + "AND state = 'COMPLETED'")
                == 2,
        Eventually.tasksOf(server.database()));
    try (var replica =
        accountA.getObject(b -> b.bucket("same-endpoint-replica").key("large.bin"))) {
      assertThat(RandomFiles.md5(replica)).isEqualTo(largeMd5);
    }
    assertThat(accountA.headObject(b -> b.bucket("same-endpoint-replica").key("large.bin")).eTag())
        .endsWith("-3\"");
    assertThat(moto.requestLog())
        .as("UploadPartCopy: no part went through the worker")
        .doesNotContain("GET /same-endpoint-source/large.bin?versionId=");

    HeadObjectResponse replica =
        accountA.headObject(b -> b.bucket("same-endpoint-replica").key("copied.txt"));
    assertThat(replica.contentType()).isEqualTo("text/plain");
    assertThat(replica.metadata())
        .containsEntry("origin", "a")
        .containsKey("replicator-source-version-id");
    assertThat(
            accountA
                .getObjectTagging(b -> b.bucket("same-endpoint-replica").key("copied.txt"))
                .tagSet())
        .hasSize(1);
    assertThat(
            accountA
                .getObjectAsBytes(b -> b.bucket("same-endpoint-replica").key("copied.txt"))
                .asUtf8String())
        .isEqualTo("copied by the store");
    assertThat(moto.requestLog())
        .as("no byte went through the worker")
        .doesNotContain("GET /same-endpoint-source/copied.txt?versionId=");
  }
}
