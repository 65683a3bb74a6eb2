package dev.replicator.tenancy.auth;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;
import java.util.UUID;

/** A dashboard session, opened by signing in with a user's password or with a token. */
@MappedEntity("sessions")
public record Session(
    @Id byte[] idHash,
    @Nullable UUID tenantId,
    @Nullable UUID userId,
    @Nullable UUID tokenId,
    @Nullable byte[] adminHash,
    Instant createdAt,
    Instant expiresAt) {}
