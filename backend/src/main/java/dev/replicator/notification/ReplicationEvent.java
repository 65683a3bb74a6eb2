package dev.replicator.notification;

import java.util.List;

/**
 * The replication events S3 Event Notifications emit ({@code s3:Replication:…}). {@link
 * WebhookStore} records them as deliveries in the transaction in which the queue records what
 * causes them.
 */
public final class ReplicationEvent {

  public static final String FAILED_REPLICATION = "OperationFailedReplication";
  public static final String MISSED_THRESHOLD = "OperationMissedThreshold";
  public static final String REPLICATED_AFTER_THRESHOLD = "OperationReplicatedAfterThreshold";
  public static final List<String> NAMES =
      List.of(FAILED_REPLICATION, MISSED_THRESHOLD, REPLICATED_AFTER_THRESHOLD);

  private ReplicationEvent() {}
}
