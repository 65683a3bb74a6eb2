package dev.replicator.trust.client;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * How Replicator's S3 and STS clients behave ({@code replicator.aws.*}).
 *
 * @param stsEndpoint the STS URL for assuming roles when a trust names none ({@code
 *     REPLICATOR_STS_ENDPOINT}); AWS STS by default
 * @param stsRegion the region of Replicator's own STS calls
 * @param principalArn the IAM principal that tenants' role trust policies must name; found with
 *     GetCallerIdentity when unset
 * @param maxConnections connections per trust, sized for the worker concurrency
 * @param connectTimeout TCP connect timeout
 * @param socketTimeout how long a connection may stay silent mid-response
 * @param sessionDuration how long assumed-role sessions last (they are refreshed before they
 *     expire)
 */
@ConfigurationProperties("replicator.aws")
public record AwsSettings(
    @Nullable String stsEndpoint,
    @Bindable(defaultValue = "us-east-1") String stsRegion,
    @Nullable String principalArn,
    @Bindable(defaultValue = "64") int maxConnections,
    @Bindable(defaultValue = "10s") Duration connectTimeout,
    @Bindable(defaultValue = "60s") Duration socketTimeout,
    @Bindable(defaultValue = "1h") Duration sessionDuration) {}
