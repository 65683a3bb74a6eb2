package dev.replicator.testing;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** S3 event notifications in the shape an S3 server posts them, for tests that announce writes. */
public final class S3Events {

  private S3Events() {}

  /**
   * An {@code ObjectCreated:Put} record of one version of {@code size} bytes written at {@code
   * time}.
   */
  public static Map<String, Object> created(
      String bucket, String key, String versionId, long size, Instant time) {
    return record("ObjectCreated:Put", bucket, key, versionId, size, time, null);
  }

  /**
   * A record of event {@code name} about one version, with the bucket's ARN and, unless null, the
   * object's {@code sequencer} (which orders events about one key).
   */
  public static Map<String, Object> record(
      String name,
      String bucket,
      String key,
      String versionId,
      long size,
      Instant time,
      String sequencer) {
    Map<String, Object> object =
        new HashMap<>(Map.of("key", key, "versionId", versionId, "size", size));
    if (sequencer != null) {
      object.put("sequencer", sequencer);
    }
    return Map.of(
        "eventVersion",
        "2.1",
        "eventSource",
        "aws:s3",
        "eventName",
        name,
        "eventTime",
        time.toString(),
        "s3",
        Map.of(
            "bucket", Map.of("name", bucket, "arn", "arn:aws:s3:::" + bucket), "object", object));
  }

  /** The body of a {@code POST .../events} announcing one version written just now. */
  public static Map<String, Object> createdNow(
      String bucket, String key, String versionId, long size) {
    return Map.of("Records", List.of(created(bucket, key, versionId, size, Instant.now())));
  }
}
