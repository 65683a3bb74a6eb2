package dev.replicator.tenancy.user;

import dev.replicator.tenancy.Role;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;
import java.util.UUID;

/** A dashboard user of one tenant; signs in with email and password. */
@MappedEntity("users")
public record User(
    @Id UUID id, UUID tenantId, String email, String passwordHash, Role role, Instant createdAt) {}
