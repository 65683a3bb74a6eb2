package dev.replicator.notification;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.UUID;

/** One event sent (or being sent) to one webhook, and how its delivery went. */
@Serdeable
public record WebhookDelivery(
    UUID id,
    String eventName,
    @Nullable UUID ruleId,
    String sourceBucket,
    String key,
    @Nullable String versionId,
    String destinationBucket,
    @Nullable String failureReason,
    Instant eventTime,
    String status,
    int attempts,
    @Nullable Instant nextAttemptAt,
    @Nullable Integer responseStatus,
    @Nullable String lastError,
    @Nullable Instant deliveredAt) {}
