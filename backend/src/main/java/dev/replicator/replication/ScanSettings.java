package dev.replicator.replication;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * How the reconciliation scan lists a rule's source ({@code replicator.scan.*}; its tick is {@code
 * replicator.scan.tick}).
 *
 * @param pageSize versions per ListObjectVersions page (at most 1,000, S3's limit); the scan's
 *     checkpoint moves on after each page
 */
@ConfigurationProperties("replicator.scan")
public record ScanSettings(@Bindable(defaultValue = "1000") int pageSize) {}
