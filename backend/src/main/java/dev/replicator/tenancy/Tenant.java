package dev.replicator.tenancy;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;
import java.util.UUID;

@MappedEntity("tenants")
public record Tenant(@Id UUID id, String name, Instant createdAt) {}
