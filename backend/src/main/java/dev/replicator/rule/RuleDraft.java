package dev.replicator.rule;

import dev.replicator.platform.problem.Problem;
import dev.replicator.trust.BucketRef;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A rule as a request (or an imported AWS document) describes it, before it is stored. {@link
 * #problems(String)} lists everything wrong with it at once, with JSON paths, so a client can fix
 * all fields in one go.
 */
record RuleDraft(
    String name,
    RuleStatus status,
    int priority,
    Rule.Source source,
    Rule.Filter filter,
    List<Rule.Destination> destinations,
    boolean deleteMarkerReplication,
    boolean replicaModifications,
    Rule.ReplicationTime replicationTime,
    int scanIntervalSeconds) {

  static final int DEFAULT_SCAN_INTERVAL_SECONDS = 300;

  /** The storage classes S3 Replication accepts for replicas. */
  static final Set<String> STORAGE_CLASSES =
      Set.of(
          "STANDARD",
          "REDUCED_REDUNDANCY",
          "STANDARD_IA",
          "ONEZONE_IA",
          "INTELLIGENT_TIERING",
          "GLACIER",
          "GLACIER_IR",
          "DEEP_ARCHIVE",
          "OUTPOSTS",
          "SNOW",
          "EXPRESS_ONEZONE");

  private static final Pattern BUCKET =
      Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9._-]{1,61}[a-zA-Z0-9]");
  private static final Pattern NO_CONTROL = Pattern.compile("[^\\p{Cntrl}]*");

  /** Every problem of this draft, with the JSON path of each field. */
  List<Problem.FieldError> problems() {
    List<Problem.FieldError> errors = new ArrayList<>();
    if (name.isBlank() || name.length() > 255 || !NO_CONTROL.matcher(name).matches()) {
      errors.add(error("name", "must be 1 to 255 characters without control characters"));
    }
    if (priority < 0) {
      errors.add(error("priority", "must be 0 or more"));
    }
    if (!BUCKET.matcher(source.bucket()).matches()) {
      errors.add(
          error(
              "source.bucket",
              "must be a bucket name (3 to 63 letters, digits, dots and hyphens)"));
    }
    if (filter.prefix() != null
        && (filter.prefix().length() > 1024 || filter.prefix().indexOf('\0') >= 0)) {
      errors.add(error("filter.prefix", "must be at most 1024 characters without U+0000 (NUL)"));
    }
    if (filter.tags().size() > 10) {
      errors.add(error("filter.tags", "may hold at most 10 tags"));
    }
    filter
        .tags()
        .forEach(
            (key, value) -> {
              if (key.isEmpty() || key.length() > 128 || key.indexOf('\0') >= 0) {
                errors.add(
                    error("filter.tags", "keys must be 1 to 128 characters without U+0000 (NUL)"));
              } else if (value == null) {
                errors.add(error("filter.tags." + key, "must be a string, not null"));
              } else if (value.length() > 256 || value.indexOf('\0') >= 0) {
                errors.add(
                    error(
                        "filter.tags." + key,
                        "must be at most 256 characters without U+0000 (NUL)"));
              }
            });
    if (deleteMarkerReplication && !filter.tags().isEmpty()) {
      errors.add(
          error(
              "deleteMarkerReplication",
              "cannot be enabled together with a tag filter: delete markers carry no tags (AWS refuses the same)"));
    }
    if (destinations.isEmpty() || destinations.size() > 20) {
      errors.add(error("destinations", "must list 1 to 20 destinations"));
    }
    Set<BucketRef> seen = new HashSet<>();
    for (int i = 0; i < destinations.size(); i++) {
      Rule.Destination destination = destinations.get(i);
      String path = "destinations[" + i + "]";
      if (!BUCKET.matcher(destination.bucket()).matches()) {
        errors.add(
            error(
                path + ".bucket",
                "must be a bucket name (3 to 63 letters, digits, dots and hyphens)"));
      }
      if (!seen.add(new BucketRef(destination.trustId(), destination.bucket()))) {
        errors.add(error(path, "repeats another destination of this rule"));
      }
      if (destination.trustId().equals(source.trustId())
          && destination.bucket().equals(source.bucket())) {
        errors.add(error(path, "is the source bucket itself; a bucket cannot replicate to itself"));
      }
      if (destination.storageClass() != null
          && !STORAGE_CLASSES.contains(destination.storageClass())) {
        errors.add(
            error(
                path + ".storageClass",
                "must be one of " + String.join(", ", STORAGE_CLASSES.stream().sorted().toList())));
      }
      if (destination.kmsKeyId() != null
          && (destination.kmsKeyId().isBlank()
              || destination.kmsKeyId().length() > 2048
              || destination.kmsKeyId().indexOf('\0') >= 0)) {
        errors.add(
            error(path + ".kmsKeyId", "must be a KMS key ID or ARN of at most 2048 characters"));
      }
    }
    if (replicationTime.thresholdMinutes() < 1 || replicationTime.thresholdMinutes() > 1440) {
      errors.add(
          error("replicationTime.thresholdMinutes", "must be between 1 and 1440 (S3 RTC uses 15)"));
    }
    if (scanIntervalSeconds != 0 && (scanIntervalSeconds < 30 || scanIntervalSeconds > 86400)) {
      errors.add(
          error("scanIntervalSeconds", "must be 0 (change events only) or between 30 and 86400"));
    }
    return errors;
  }

  private static Problem.FieldError error(String field, String message) {
    return new Problem.FieldError(field, message);
  }

  /** Keeps a tag without a value (JSON {@code null}), so that {@link #problems()} can name it. */
  static Rule.Filter filter(String prefix, Map<String, String> tags) {
    return new Rule.Filter(
        prefix == null || prefix.isEmpty() ? null : prefix,
        tags == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(tags)));
  }
}
