package dev.replicator.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.replicator.testing.Eventually;
import dev.replicator.testing.Fixtures;
import dev.replicator.testing.S3Events;
import dev.replicator.testing.Sql;
import dev.replicator.testing.Testbed;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Live replication latency while a backfill runs, against the same measurement without one in the
 * same run. Not part of the suite (no IT/Test suffix): {@code bench/live-latency-during-backfill}
 * runs it and prints ratios.
 */
class LiveLatencyBench {

  private static final int BACKFILL = Integer.getInteger("bench.backfill", 1500);
  private static final int WRITES = Integer.getInteger("bench.writes", 30);

  @Test
  void liveLatencyWithAndWithoutABackfill() {
    try (Testbed bed = Testbed.start(Map.of("replicator.worker.concurrency", "4"))) {
      String source = bed.s3.bucket(true);
      String destination = bed.s3.bucket(true);
      for (int i = 0; i < BACKFILL; i++) {
        String key = "old/%06d".formatted(i);
        bed.client.putObject(b -> b.bucket(source).key(key), RequestBody.fromString(key));
      }
      Eventually.untilTheSecondAfter(Instant.now());
      JsonNode rule =
          Fixtures.rule(
              bed.admin,
              bed.tenant,
              Fixtures.ruleBody(
                  "bench", 0, bed.trust, source, Fixtures.destination(bed.trust, destination)));
      String ruleId = rule.get("id").asText();

      writeLive(bed, source, ruleId, "warmup");
      List<Double> idle = writeLive(bed, source, ruleId, "idle");
      JsonNode job =
          bed.admin
              .post(
                  bed.path("/batch-jobs"),
                  Map.of(
                      "ruleId", ruleId, "filter", Map.of("replicationStatuses", List.of("NONE"))))
              .json();
      String jobPath = bed.path("/batch-jobs/" + job.get("id").asText());
      Eventually.await(
          "the backfill under way",
          Duration.ofSeconds(60),
          () -> bed.admin.get(jobPath).json().get("succeeded").asInt() > 0,
          () -> "");
      Instant backfillStart = Instant.now();
      List<Double> busy = writeLive(bed, source, ruleId, "busy");
      long pendingWhenDone = bed.admin.get(jobPath).json().get("pending").asLong();
      Eventually.await(
          "the backfill",
          Duration.ofMinutes(10),
          () -> bed.admin.get(jobPath).json().get("status").asText().equals("COMPLETED"),
          () -> "");
      double backfillSeconds = Duration.between(backfillStart, Instant.now()).toMillis() / 1000.0;

      System.out.printf(
          "%nlive replication latency (event received to replica written), %d writes each, worker concurrency 4, "
              + "live reserve %s%n",
          WRITES, System.getProperty("replicator.worker.live-reserve", "2"));
      System.out.printf(
          "  baseline (no backfill):        p50 %6.3f s   p99 %6.3f s%n",
          percentile(idle, 50), percentile(idle, 99));
      System.out.printf(
          "  during a %d-version backfill: p50 %6.3f s   p99 %6.3f s   (%d batch tasks still pending at the end)%n",
          BACKFILL, percentile(busy, 50), percentile(busy, 99), pendingWhenDone);
      System.out.printf(
          "  ratio during / baseline:       p50 %6.2f     p99 %6.2f%n",
          percentile(busy, 50) / percentile(idle, 50), percentile(busy, 99) / percentile(idle, 99));
      System.out.printf(
          "  backfill throughput: %.0f versions/s%n%n",
          BACKFILL / Math.max(backfillSeconds, 0.001));
    }
  }

  /**
   * Writes versions one after the other, each announced by an event, and returns the time from each
   * event's arrival to its replica (S3 Last-Modified has one-second precision, too coarse for
   * this).
   */
  private static List<Double> writeLive(Testbed bed, String source, String ruleId, String prefix) {
    for (int i = 0; i < WRITES; i++) {
      String key = prefix + "/" + i;
      String version =
          bed.client
              .putObject(b -> b.bucket(source).key(key), RequestBody.fromString(key))
              .versionId();
      bed.admin.post(bed.path("/events"), S3Events.createdNow(source, key, version, key.length()));
      Eventually.sleep(Duration.ofMillis(100));
    }
    String live =
        "FROM replication_tasks WHERE rule_id = '"
            + ruleId
            + "' AND batch_job_id IS NULL AND source_key LIKE '"
            + prefix
            + "/%'";
    Eventually.await(
        prefix + " writes replicated",
        Duration.ofMinutes(5),
        () ->
            Sql.count(bed.server.database(), "SELECT count(*) " + live + " AND state = 'COMPLETED'")
                == WRITES,
        () -> "");
    String seconds =
        Sql.text(
            bed.server.database(),
            "SELECT string_agg(extract(epoch FROM (completed_at - enqueued_at))::text, ',') "
                + live);
    List<Double> latencies = new ArrayList<>();
    for (String value : seconds.split(",")) {
      latencies.add(Double.parseDouble(value));
    }
    return latencies;
  }

  private static double percentile(List<Double> values, int percent) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(
        Math.min(sorted.size() - 1, (int) Math.ceil(percent / 100.0 * sorted.size()) - 1));
  }
}
