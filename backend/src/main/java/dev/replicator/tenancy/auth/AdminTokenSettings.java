package dev.replicator.tenancy.auth;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

/**
 * The platform administrator's token ({@code replicator.*}).
 *
 * @param adminToken the token itself, at least 24 characters ({@code REPLICATOR_ADMIN_TOKEN}); when
 *     unset one is generated on the very first start and printed once
 */
@ConfigurationProperties("replicator")
public record AdminTokenSettings(@Nullable String adminToken) {}
