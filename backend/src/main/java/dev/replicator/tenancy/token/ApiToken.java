package dev.replicator.tenancy.token;

import dev.replicator.tenancy.Role;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;
import java.util.UUID;

@MappedEntity("api_tokens")
public record ApiToken(
    @Id UUID id,
    UUID tenantId,
    String name,
    Role role,
    byte[] tokenHash,
    String createdBy,
    Instant createdAt,
    @Nullable Instant lastUsedAt) {}
