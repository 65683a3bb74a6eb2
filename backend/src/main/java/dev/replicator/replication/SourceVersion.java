package dev.replicator.replication;

import io.micronaut.core.annotation.Nullable;
import java.time.Instant;

/** A version found in a source bucket, by a scan or a change event. */
public record SourceVersion(
    String key,
    String versionId,
    boolean deleteMarker,
    @Nullable Long size,
    @Nullable String etag,
    Instant lastModified) {}
