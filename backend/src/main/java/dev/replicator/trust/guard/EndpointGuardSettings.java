package dev.replicator.trust.guard;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import java.util.List;

/**
 * Which internal addresses tenants' endpoints may reach ({@code replicator.*}).
 *
 * @param allowedEndpointCidrs address ranges, such as {@code 10.20.0.0/16}, that the operator opens
 *     to tenant-supplied S3 and STS endpoints although they are private, loopback or link-local
 *     ({@code REPLICATOR_ALLOWED_ENDPOINT_CIDRS}, comma-separated); none by default
 */
@ConfigurationProperties("replicator")
public record EndpointGuardSettings(@Nullable List<String> allowedEndpointCidrs) {}
