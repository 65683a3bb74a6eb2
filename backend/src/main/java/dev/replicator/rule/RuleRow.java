package dev.replicator.rule;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;
import java.util.UUID;

/** The rules table row; tags and destinations live in their own tables. */
@MappedEntity("rules")
record RuleRow(
    @Id UUID id,
    UUID tenantId,
    String name,
    RuleStatus status,
    int priority,
    UUID sourceTrustId,
    String sourceBucket,
    @Nullable String filterPrefix,
    boolean deleteMarkerReplication,
    boolean replicaModifications,
    boolean replicationTimeEnabled,
    int replicationTimeMinutes,
    int scanIntervalSeconds,
    Instant liveSince,
    Instant createdAt,
    Instant updatedAt) {}
