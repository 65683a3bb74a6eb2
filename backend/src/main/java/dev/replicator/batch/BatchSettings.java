package dev.replicator.batch;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * How batch jobs are prepared and ended ({@code replicator.batch.*}).
 *
 * @param pageSize versions listed per ListObjectVersions page while a job's manifest is built (at
 *     most 1,000, S3's limit); each page is queued in one transaction
 * @param lease how long a job's preparation is one scheduler's; renewed with every page, taken over
 *     by another after a crash
 * @param tick how often a scheduler looks for jobs to prepare, end or report on besides the
 *     notifications that wake it when a job is created or its tasks end (those are lost while its
 *     database connection is down)
 */
@ConfigurationProperties("replicator.batch")
public record BatchSettings(
    @Bindable(defaultValue = "1000") int pageSize,
    @Bindable(defaultValue = "2m") Duration lease,
    @Bindable(defaultValue = "250ms") Duration tick) {}
