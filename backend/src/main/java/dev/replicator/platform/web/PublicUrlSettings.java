package dev.replicator.platform.web;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

/**
 * Where users reach this server ({@code replicator.*}).
 *
 * @param publicUrl the dashboard's address as users open it, behind a proxy for instance ({@code
 *     REPLICATOR_PUBLIC_URL}); {@code http://localhost:PORT} when unset
 */
@ConfigurationProperties("replicator")
public record PublicUrlSettings(@Nullable String publicUrl) {}
