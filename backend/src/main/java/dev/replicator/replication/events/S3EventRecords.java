package dev.replicator.replication.events;

import dev.replicator.platform.problem.ApiException;
import dev.replicator.platform.web.RequestInstants;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads S3 event notifications as AWS S3 sends them (directly, or inside an SNS envelope whose
 * {@code Message} is the notification as a string) and as MinIO sends them ({@code s3:}-prefixed
 * event names). Only versioned creations and delete-marker creations matter to replication; other
 * records are ignored. Object keys arrive URL-encoded, with {@code +} for spaces.
 */
final class S3EventRecords {

  /** A change to one object version in one bucket. */
  record Change(
      String bucket,
      String key,
      String versionId,
      boolean deleteMarker,
      @Nullable Long size,
      @Nullable String etag,
      Instant time) {}

  private S3EventRecords() {}

  static List<Change> read(JsonNode document, JsonMapper json) {
    JsonNode notification = unwrapSns(document, json);
    JsonNode records = notification.get("Records");
    if (records == null || !records.isArray()) {
      if (notification.get("Event") != null || "s3:TestEvent".equals(text(notification, "Event"))) {
        return List.of();
      }
      throw ApiException.invalidField(
          "Records",
          "is missing: send an S3 event notification {\"Records\": [...]}, "
              + "as S3 or MinIO send it, or its SNS envelope");
    }
    List<Change> changes = new ArrayList<>();
    for (int i = 0; i < records.size(); i++) {
      Change change = change(records.get(i), "Records[" + i + "]");
      if (change != null) {
        changes.add(change);
      }
    }
    return changes;
  }

  private static JsonNode unwrapSns(JsonNode document, JsonMapper json) {
    if (!document.isObject()) {
      throw ApiException.badRequest(
          "The body must be a JSON object: an S3 event notification or its SNS envelope.");
    }
    JsonNode message = document.get("Message");
    if (document.get("Records") == null && message != null && message.isString()) {
      try {
        return json.readValue(message.getStringValue(), JsonNode.class);
      } catch (IOException e) {
        throw ApiException.invalidField("Message", "is not an S3 event notification in JSON");
      }
    }
    return document;
  }

  private static @Nullable Change change(JsonNode record, String path) {
    String name = text(record, "eventName");
    if (name == null) {
      throw ApiException.invalidField(path + ".eventName", "is required");
    }
    name = name.startsWith("s3:") ? name.substring(3) : name;
    boolean created = name.startsWith("ObjectCreated:");
    boolean marker = name.equals("ObjectRemoved:DeleteMarkerCreated");
    if (!created && !marker) {
      return null;
    }
    JsonNode s3 = record.get("s3");
    JsonNode bucket = s3 == null ? null : s3.get("bucket");
    JsonNode object = s3 == null ? null : s3.get("object");
    String bucketName = bucket == null ? null : text(bucket, "name");
    String key = object == null ? null : text(object, "key");
    if (bucketName == null || key == null) {
      throw ApiException.invalidField(
          path + ".s3", "must name the bucket (s3.bucket.name) and the object (s3.object.key)");
    }
    String versionId = text(object, "versionId");
    if (versionId == null || versionId.isEmpty() || versionId.equals("null")) {
      return null;
    }
    String eventTime = text(record, "eventTime");
    Instant time =
        eventTime == null ? Instant.now() : RequestInstants.parse(path + ".eventTime", eventTime);
    String decodedKey = URLDecoder.decode(key, StandardCharsets.UTF_8);
    String etag = text(object, "eTag");
    requireNoNul(path + ".s3.bucket.name", bucketName);
    requireNoNul(path + ".s3.object.key", decodedKey);
    requireNoNul(path + ".s3.object.versionId", versionId);
    requireNoNul(path + ".s3.object.eTag", etag);
    JsonNode size = object.get("size");
    return new Change(
        bucketName,
        decodedKey,
        versionId,
        marker,
        size != null && size.isNumber() ? Long.valueOf(size.getLongValue()) : null,
        etag,
        time);
  }

  /**
   * The body's strings are not read by the strict deserializers (it is a tree), and keys arrive
   * URL-encoded.
   */
  private static void requireNoNul(String field, @Nullable String value) {
    if (value != null && value.indexOf('\0') >= 0) {
      throw ApiException.invalidField(
          field, "must not contain the character U+0000 (NUL), nor %00 in a key");
    }
  }

  private static @Nullable String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value != null && value.isString() ? value.getStringValue() : null;
  }
}
