package dev.replicator.platform;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * How the queue and the metrics are kept small ({@code replicator.housekeeping.*}).
 *
 * @param retention how long replicated and skipped tasks stay in the queue before they move to the
 *     history ({@code REPLICATOR_TASK_RETENTION}); failed tasks stay until they are retried
 * @param batchSize tasks moved per transaction
 * @param minuteMetrics how long per-minute metric buckets are kept before they are merged into
 *     hours
 * @param hourMetrics how long hourly buckets are kept before they are merged into days
 */
@ConfigurationProperties("replicator.housekeeping")
public record HousekeepingSettings(
    @Bindable(defaultValue = "7d") Duration retention,
    @Bindable(defaultValue = "5000") int batchSize,
    @Bindable(defaultValue = "7d") Duration minuteMetrics,
    @Bindable(defaultValue = "90d") Duration hourMetrics) {}
