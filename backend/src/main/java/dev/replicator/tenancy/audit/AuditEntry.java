package dev.replicator.tenancy.audit;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.UUID;

/** One change in a tenant: who did what to which resource, when and from where. */
@Serdeable
@MappedEntity("audit_log")
public record AuditEntry(
    @Id UUID id,
    UUID tenantId,
    Instant at,
    String actor,
    String action,
    String target,
    String sourceIp) {}
