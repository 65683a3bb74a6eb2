package dev.replicator.tenancy;

import java.util.UUID;

/** A request admitted to one tenant: the tenant it acts in and who is acting. */
public record TenantScope(UUID tenantId, Caller caller) {}
