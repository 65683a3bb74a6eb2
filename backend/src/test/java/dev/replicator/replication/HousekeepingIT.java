package dev.replicator.replication;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.replicator.testing.Eventually;
import dev.replicator.testing.Fixtures;
import dev.replicator.testing.Sql;
import dev.replicator.testing.Testbed;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Ended tasks leave the queue for the history after the retention; status, metrics and "never
 * replicate twice" are still answered from there, and metric buckets are merged as they age.
 */
class HousekeepingIT {

  static Testbed bed;

  @BeforeAll
  static void start() {
    bed =
        Testbed.start(
            Map.of(
                "replicator.housekeeping.retention",
                "1s",
                "replicator.housekeeping.tick",
                "300ms"));
  }

  @AfterAll
  static void stop() {
    bed.close();
  }

  @Test
  void prunedVersionsKeepTheirStatusAndMetricsAndAreNotReplicatedAgain() {
    String source = bed.s3.bucket(true);
    String destination = bed.s3.bucket(true);
    String unversioned = bed.s3.bucket(false);
    JsonNode rule =
        Fixtures.liveRule(
            bed.admin,
            bed.tenant,
            Fixtures.ruleBody(
                "housekeeping",
                30,
                bed.trust,
                source,
                Fixtures.destination(bed.trust, destination),
                Fixtures.destination(bed.trust, unversioned)));
    String ruleId = rule.get("id").asText();
    String rulePath = bed.path("/rules/" + ruleId);
    Instant from = Instant.now().truncatedTo(ChronoUnit.HOURS);
    for (String key : List.of("a", "bb", "ccc")) {
      bed.s3.client().putObject(b -> b.bucket(source).key(key), RequestBody.fromString(key));
    }
    scanNow();
    Eventually.await(
        "the live tasks moved to the history",
        Duration.ofSeconds(30),
        () ->
            Sql.count(
                    bed.server.database(),
                    "SELECT count(*) FROM replication_history WHERE rule_id = '" + ruleId + "'")
                == 3,
        Eventually.tasksOf(bed.server.database()));
    assertThat(
            Sql.count(
                bed.server.database(),
                "SELECT count(*) FROM replication_tasks WHERE rule_id = '" + ruleId + "'"))
        .as("only the failed tasks stay in the queue")
        .isEqualTo(3);
    assertThat(
            Sql.text(
                bed.server.database(),
                "SELECT string_agg(DISTINCT state, ',') FROM replication_tasks WHERE rule_id = '"
                    + ruleId
                    + "'"))
        .isEqualTo("FAILED");

    JsonNode summary = bed.admin.get(rulePath + "/objects/summary").json();
    assertThat(summary.get("byStatus").get("COMPLETED").asInt()).isEqualTo(3);
    assertThat(summary.get("byStatus").get("FAILED").asInt()).isEqualTo(3);
    JsonNode completed = bed.admin.get(rulePath + "/objects?status=COMPLETED").json().get("items");
    assertThat(completed)
        .hasSize(3)
        .allSatisfy(item -> assertThat(item.get("destinationVersionId").asText()).isNotBlank());
    String metricsPath =
        rulePath + "/metrics?from=" + from + "&to=" + Instant.now().plus(Duration.ofMinutes(5));
    JsonNode metrics = bed.admin.get(metricsPath).json().get("destinations").get(0);
    assertThat(metrics.get("operationsReplicated").asInt()).isEqualTo(3);
    assertThat(metrics.get("bytesReplicated").asInt()).isEqualTo(6);
    assertThat(metrics.get("series")).isNotEmpty();

    scanNow();
    JsonNode none =
        bed.admin
            .post(
                bed.path("/batch-jobs"),
                Map.of("ruleId", ruleId, "filter", Map.of("replicationStatuses", List.of("NONE"))))
            .json();
    Eventually.await(
        "the NONE job",
        Duration.ofSeconds(30),
        () ->
            bed.admin
                .get(bed.path("/batch-jobs/" + none.get("id").asText()))
                .json()
                .get("status")
                .asText()
                .equals("COMPLETED"),
        () -> "");
    assertThat(
            bed.admin
                .get(bed.path("/batch-jobs/" + none.get("id").asText()))
                .json()
                .get("totalObjects")
                .asInt())
        .as("pruned versions are known: neither the scan nor a NONE job queues them again")
        .isZero();
    assertThat(
            Sql.count(
                bed.server.database(),
                "SELECT count(*) FROM replication_tasks WHERE rule_id = '"
                    + ruleId
                    + "' AND state <> 'FAILED'"))
        .isZero();
    assertThat(bed.s3.client().listObjectVersions(b -> b.bucket(destination)).versions())
        .as("one replica per version")
        .hasSize(3);

    // Each version failed at the unversioned destination, so its status is FAILED; the job
    // replicates it again to the
    // healthy destination only, where its task had moved to the history.
    JsonNode again =
        bed.admin
            .post(
                bed.path("/batch-jobs"),
                Map.of(
                    "ruleId",
                    ruleId,
                    "destinations",
                    List.of(destination),
                    "filter",
                    Map.of("replicationStatuses", List.of("FAILED"))))
            .json();
    Eventually.await(
        "the COMPLETED job",
        Duration.ofSeconds(30),
        () ->
            bed.admin
                    .get(bed.path("/batch-jobs/" + again.get("id").asText()))
                    .json()
                    .get("succeeded")
                    .asInt()
                == 3,
        () -> bed.admin.get(bed.path("/batch-jobs/" + again.get("id").asText())).body());
    assertThat(bed.s3.client().listObjectVersions(b -> b.bucket(destination)).versions())
        .as("replicated again on request")
        .hasSize(6);

    bed.server.restart();
    Eventually.await(
        "pruned again",
        Duration.ofSeconds(30),
        () ->
            Sql.count(
                        bed.server.database(),
                        "SELECT count(*) FROM replication_history WHERE rule_id = '" + ruleId + "'")
                    == 3
                && Sql.count(
                        bed.server.database(),
                        "SELECT count(*) FROM replication_tasks WHERE rule_id = '"
                            + ruleId
                            + "' AND state <> 'FAILED'")
                    == 0,
        Eventually.tasksOf(bed.server.database()));
    JsonNode afterRestart = bed.admin.get(metricsPath).json().get("destinations").get(0);
    assertThat(afterRestart.get("operationsReplicated").asInt())
        .as("exact across pruning and a restart")
        .isEqualTo(6);
    assertThat(afterRestart.get("bytesReplicated").asInt()).isEqualTo(12);
    assertThat(
            bed.admin
                .get(rulePath + "/objects/summary")
                .json()
                .get("byStatus")
                .get("COMPLETED")
                .asInt())
        .isEqualTo(3);
  }

  @Test
  void metricBucketsAreMergedAsTheyAge() {
    JsonNode rule =
        Fixtures.rule(
            bed.admin,
            bed.tenant,
            Fixtures.ruleBody(
                Fixtures.unique("buckets"),
                0,
                bed.trust,
                bed.s3.bucket(true),
                Fixtures.destination(bed.trust, bed.s3.bucket(true))));
    String ruleId = rule.get("id").asText();
    Sql.update(
        bed.server.database(),
        """
        INSERT INTO replication_metric_buckets (tenant_id, rule_id, destination_trust_id, destination_bucket, width_seconds,
            bucket_start, operations_replicated, bytes_replicated, operations_replicated_after_threshold, latency_p99_seconds)
        SELECT '%1$s', '%2$s', '%3$s', 'b', 60, date_trunc('hour', now() - interval '30 days') + m * interval '1 minute', 2, 10, 1, m
          FROM generate_series(0, 59) m"""
            .formatted(bed.tenant, ruleId, bed.trust));
    bed.server.context().getBean(dev.replicator.metrics.MetricBucketCompactor.class).compact();
    assertThat(
            Sql.text(
                bed.server.database(),
                "SELECT width_seconds || '/' || operations_replicated || '/' || bytes_replicated || '/' "
                    + "|| operations_replicated_after_threshold || '/' || latency_p99_seconds FROM replication_metric_buckets WHERE rule_id = '"
                    + ruleId
                    + "'"))
        .as("sixty minutes, one hour: sums exact, p99 the highest")
        .isEqualTo("3600/120/600/60/59");
  }

  @Test
  void endedWebhookDeliveriesArePrunedAfterTheRetentionAndPendingOnesAreKept() {
    String webhook =
        bed.admin
            .post(
                bed.path("/webhooks"),
                Map.of(
                    "url",
                    "http://127.0.0.1:9/hooks",
                    "events",
                    List.of("OperationFailedReplication")))
            .json()
            .get("id")
            .asText();
    String insert =
        """
        INSERT INTO webhook_deliveries (tenant_id, id, webhook_id, event_name, source_bucket, source_key, destination_bucket,
            request_time, event_time, status, next_attempt_at)
        VALUES ('%s', time_ordered_uuid(), '%s', 'OperationFailedReplication', 'b', '%s', 'd', now(), now() - interval '1 minute',
                '%s', now() + interval '1 hour')""";
    Sql.update(
        bed.server.database(), insert.formatted(bed.tenant, webhook, "delivered", "DELIVERED"));
    Sql.update(bed.server.database(), insert.formatted(bed.tenant, webhook, "waiting", "PENDING"));
    Eventually.await(
        "the delivered one pruned",
        Duration.ofSeconds(20),
        () ->
            Sql.count(
                    bed.server.database(),
                    "SELECT count(*) FROM webhook_deliveries WHERE webhook_id = '"
                        + webhook
                        + "' AND source_key = 'delivered'")
                == 0,
        () -> "");
    assertThat(
            Sql.count(
                bed.server.database(),
                "SELECT count(*) FROM webhook_deliveries WHERE webhook_id = '" + webhook + "'"))
        .as("a delivery still being retried stays")
        .isEqualTo(1);
  }

  private static void scanNow() {
    Sql.update(
        bed.server.database(), "UPDATE rule_scans SET next_scan_at = now() - interval '1 second'");
  }
}
