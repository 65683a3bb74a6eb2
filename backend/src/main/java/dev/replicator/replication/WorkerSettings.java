package dev.replicator.replication;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * How a worker process copies ({@code replicator.worker.*}).
 *
 * @param concurrency copies in flight at once in this process ({@code REPLICATOR_WORKER_CONCURRENCY})
 * @param lease how long a claimed task is this worker's before another may take it over; renewed while copying
 * @param pollInterval how long an idle worker waits before looking for work again
 */
@ConfigurationProperties("replicator.worker")
public record WorkerSettings(
    @Bindable(defaultValue = "8") int concurrency,
    @Bindable(defaultValue = "60s") Duration lease,
    @Bindable(defaultValue = "1s") Duration pollInterval) {}
