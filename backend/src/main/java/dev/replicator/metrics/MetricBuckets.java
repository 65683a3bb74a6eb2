package dev.replicator.metrics;

/**
 * The SQL that writes metric buckets, shared by {@link PrunedTaskMetrics} (which counts pruned
 * tasks, and the failures of retried ones, into minute buckets) and the compactor (which merges old
 * buckets into wider ones).
 */
public final class MetricBuckets {

  public static final String INSERT =
      """
      INSERT INTO replication_metric_buckets AS b (tenant_id, rule_id, destination_trust_id, destination_bucket,
          width_seconds, bucket_start, operations_replicated, bytes_replicated, operations_replicated_after_threshold,
          latency_p99_seconds, operations_failed)""";

  /**
   * Adds to a bucket that already exists: the sums add up, the p99 latency is the higher of the
   * two.
   */
  public static final String ADD_TO_EXISTING =
      """
      ON CONFLICT (tenant_id, rule_id, destination_trust_id, destination_bucket, width_seconds, bucket_start) DO UPDATE
         SET operations_replicated = b.operations_replicated + excluded.operations_replicated,
             bytes_replicated = b.bytes_replicated + excluded.bytes_replicated,
             operations_replicated_after_threshold = b.operations_replicated_after_threshold
                 + excluded.operations_replicated_after_threshold,
             latency_p99_seconds = greatest(b.latency_p99_seconds, excluded.latency_p99_seconds),
             operations_failed = b.operations_failed + excluded.operations_failed""";

  private MetricBuckets() {}
}
