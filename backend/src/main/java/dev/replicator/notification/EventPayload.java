package dev.replicator.notification;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The body of a delivery, in the shape of an S3 Event Notification for replication events. */
final class EventPayload {

  private EventPayload() {}

  static Map<String, Object> of(WebhookStore.Due delivery) {
    if (delivery.eventName().equals("TestEvent")) {
      return ordered(
          "Service",
          "Replicator",
          "Event",
          "s3:TestEvent",
          "Time",
          delivery.eventTime().toString(),
          "WebhookId",
          delivery.webhookId().toString());
    }
    // S3's notifications give the ETag without the quotes HTTP puts around it
    String etag = delivery.etag() == null ? null : delivery.etag().replace("\"", "");
    Map<String, Object> object =
        ordered(
            "key",
            delivery.key(),
            "size",
            delivery.size(),
            "eTag",
            etag,
            "versionId",
            delivery.versionId());
    Map<String, Object> replication =
        ordered(
            "replicationRuleId",
            delivery.ruleId() == null ? null : delivery.ruleId().toString(),
            "destinationBucket",
            "arn:aws:s3:::" + delivery.destinationBucket(),
            "s3Operation",
            "OBJECT_PUT",
            "requestTime",
            delivery.requestTime().toString(),
            "failureReason",
            delivery.failureReason(),
            "threshold",
            delivery.thresholdSeconds() == null ? null : delivery.thresholdSeconds().toString(),
            "replicationTime",
            delivery.replicationSeconds() == null
                ? null
                : delivery.replicationSeconds().toString());
    Map<String, Object> record =
        ordered(
            "eventVersion",
            "2.2",
            "eventSource",
            "replicator:s3",
            "eventTime",
            delivery.eventTime().toString(),
            "eventName",
            "Replication:" + delivery.eventName(),
            "s3",
            ordered(
                "s3SchemaVersion",
                "1.0",
                "bucket",
                ordered(
                    "name",
                    delivery.sourceBucket(),
                    "arn",
                    "arn:aws:s3:::" + delivery.sourceBucket()),
                "object",
                object),
            "replicationEventData",
            replication);
    return Map.of("Records", List.of(record));
  }

  private static Map<String, Object> ordered(Object... pairs) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put((String) pairs[i], pairs[i + 1]);
    }
    return map;
  }

  /**
   * {@code t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">}: the receiver checks both the MAC and
   * the age.
   */
  static String signature(String secret, Instant at, String body) {
    long t = at.getEpochSecond();
    try {
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(
          new javax.crypto.spec.SecretKeySpec(
              secret.getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA256"));
      byte[] digest =
          mac.doFinal((t + "." + body).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return "t=" + t + ",v1=" + java.util.HexFormat.of().formatHex(digest);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }
}
