package dev.replicator.rule;

import dev.replicator.platform.problem.ApiException;
import dev.replicator.platform.problem.Problem;
import dev.replicator.tenancy.Caller;
import dev.replicator.trust.Trust;
import dev.replicator.trust.TrustType;
import dev.replicator.trust.client.TrustResolver;
import io.micronaut.http.HttpStatus;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Converts rules to and from AWS's {@code ReplicationConfiguration} JSON, as {@code aws s3api
 * get-bucket-replication} prints it and {@code put-bucket-replication} takes it. An AWS rule's
 * {@code ID} is a rule's name. AWS rules have one destination each, so a rule with several
 * destinations exports as several AWS rules named {@code name}, {@code name#2}, …, which an import
 * joins back into one rule.
 */
@Singleton
public class AwsReplicationConfiguration {

  private static final String ARN_PREFIX = "arn:aws:s3:::";
  private static final Pattern SPLIT_ID = Pattern.compile("(.+)#(\\d+)");
  private static final Set<String> DOCUMENT_KEYS = Set.of("Role", "Rules");
  private static final Set<String> RULE_KEYS =
      Set.of(
          "ID",
          "Priority",
          "Prefix",
          "Filter",
          "Status",
          "Destination",
          "DeleteMarkerReplication",
          "SourceSelectionCriteria",
          "ExistingObjectReplication");
  private static final Set<String> DESTINATION_KEYS =
      Set.of(
          "Bucket",
          "Account",
          "StorageClass",
          "AccessControlTranslation",
          "EncryptionConfiguration",
          "ReplicationTime",
          "Metrics");

  private final RuleService rules;
  private final TrustResolver trusts;

  public AwsReplicationConfiguration(RuleService rules, TrustResolver trusts) {
    this.rules = rules;
    this.trusts = trusts;
  }

  public Map<String, Object> export(UUID tenantId, Rule.Source source) {
    Trust trust =
        trusts
            .find(tenantId, source.trustId())
            .orElseThrow(() -> ApiException.notFound("Trust " + source.trustId()));
    List<Map<String, Object>> awsRules = new ArrayList<>();
    for (Rule rule : rules.forSource(tenantId, source)) {
      for (int i = 0; i < rule.destinations().size(); i++) {
        awsRules.add(awsRule(rule, i));
      }
    }
    Map<String, Object> configuration = new LinkedHashMap<>();
    configuration.put("Role", trust.type() == TrustType.ASSUME_ROLE ? trust.roleArn() : "");
    configuration.put("Rules", awsRules);
    return Map.of("ReplicationConfiguration", configuration);
  }

  private static Map<String, Object> awsRule(Rule rule, int index) {
    Rule.Destination destination = rule.destinations().get(index);
    Map<String, Object> aws = new LinkedHashMap<>();
    aws.put("ID", index == 0 ? rule.name() : rule.name() + "#" + (index + 1));
    aws.put("Priority", rule.priority());
    aws.put("Filter", filter(rule.filter()));
    aws.put("Status", rule.status() == RuleStatus.ENABLED ? "Enabled" : "Disabled");
    Map<String, Object> criteria = new LinkedHashMap<>();
    criteria.put("ReplicaModifications", status(rule.replicaModifications()));
    if (destination.kmsKeyId() != null) {
      criteria.put("SseKmsEncryptedObjects", status(true));
    }
    aws.put("SourceSelectionCriteria", criteria);
    Map<String, Object> target = new LinkedHashMap<>();
    target.put("Bucket", ARN_PREFIX + destination.bucket());
    if (destination.storageClass() != null) {
      target.put("StorageClass", destination.storageClass());
    }
    if (destination.ownerOverride()) {
      target.put("AccessControlTranslation", Map.of("Owner", "Destination"));
    }
    if (destination.kmsKeyId() != null) {
      target.put("EncryptionConfiguration", Map.of("ReplicaKmsKeyID", destination.kmsKeyId()));
    }
    if (rule.replicationTime().enabled()) {
      int minutes = rule.replicationTime().thresholdMinutes();
      target.put(
          "ReplicationTime", Map.of("Status", "Enabled", "Time", Map.of("Minutes", minutes)));
      target.put(
          "Metrics", Map.of("Status", "Enabled", "EventThreshold", Map.of("Minutes", minutes)));
    }
    aws.put("Destination", target);
    aws.put("DeleteMarkerReplication", status(rule.deleteMarkerReplication()));
    return aws;
  }

  private static Map<String, Object> filter(Rule.Filter filter) {
    List<Map<String, String>> tags =
        filter.tags().entrySet().stream()
            .sorted(Map.Entry.comparingByKey())
            .map(t -> Map.of("Key", t.getKey(), "Value", t.getValue()))
            .toList();
    if (tags.isEmpty()) {
      return filter.prefix() == null ? Map.of() : Map.of("Prefix", filter.prefix());
    }
    if (tags.size() == 1 && filter.prefix() == null) {
      return Map.of("Tag", tags.get(0));
    }
    Map<String, Object> and = new LinkedHashMap<>();
    if (filter.prefix() != null) {
      and.put("Prefix", filter.prefix());
    }
    and.put("Tags", tags);
    return Map.of("And", and);
  }

  private static Map<String, String> status(boolean enabled) {
    return Map.of("Status", enabled ? "Enabled" : "Disabled");
  }

  /** Validates the whole document first; stores every rule it describes, or none. */
  public List<Rule> importConfiguration(
      UUID tenantId,
      Caller caller,
      Rule.Source source,
      Map<String, UUID> destinationTrusts,
      JsonNode configuration) {
    Parse parse = new Parse(source, destinationTrusts);
    List<RuleDraft> drafts = parse.document(configuration);
    if (!parse.errors.isEmpty()) {
      throw new ApiException(
          HttpStatus.BAD_REQUEST,
          "invalid-replication-configuration",
          "The replication configuration was not imported: "
              + parse.errors.size()
              + " problem(s), listed in errors; "
              + "nothing was stored.",
          parse.errors);
    }
    return rules.importAll(tenantId, caller, drafts, parse.rulesPath);
  }

  /** One import: the drafts read so far and every problem found, with the JSON path of each. */
  private static final class Parse {
    private final Rule.Source source;
    private final Map<String, UUID> destinationTrusts;
    private final List<Problem.FieldError> errors = new ArrayList<>();
    private String rulesPath = "configuration.Rules";

    Parse(Rule.Source source, Map<String, UUID> destinationTrusts) {
      this.source = source;
      this.destinationTrusts = destinationTrusts;
    }

    List<RuleDraft> document(JsonNode configuration) {
      String base = "configuration";
      JsonNode document = configuration;
      if (configuration.isObject() && configuration.get("ReplicationConfiguration") != null) {
        document = configuration.get("ReplicationConfiguration");
        base = "configuration.ReplicationConfiguration";
      }
      if (!document.isObject()) {
        error(base, "must be a ReplicationConfiguration object with Role and Rules");
        return List.of();
      }
      unknownKeys(document, DOCUMENT_KEYS, base);
      rulesPath = base + ".Rules";
      JsonNode awsRules = document.get("Rules");
      if (awsRules == null || !awsRules.isArray() || awsRules.size() == 0) {
        error(rulesPath, "must be a non-empty array of rules");
        return List.of();
      }
      Map<String, RuleDraft> byName = new LinkedHashMap<>();
      for (int i = 0; i < awsRules.size(); i++) {
        RuleDraft draft = rule(awsRules.get(i), rulesPath + "[" + i + "]", awsRules.size() - i);
        if (draft == null) {
          continue;
        }
        Matcher split = SPLIT_ID.matcher(draft.name());
        RuleDraft joinedInto = split.matches() ? byName.get(split.group(1)) : null;
        if (joinedInto != null) {
          List<Rule.Destination> joined = new ArrayList<>(joinedInto.destinations());
          joined.addAll(draft.destinations());
          byName.put(joinedInto.name(), withDestinations(joinedInto, joined));
        } else if (byName.putIfAbsent(draft.name(), draft) != null) {
          error(rulesPath + "[" + i + "].ID", "repeats the ID of an earlier rule");
        }
      }
      return List.copyOf(byName.values());
    }

    private RuleDraft rule(JsonNode rule, String path, int defaultPriority) {
      if (!rule.isObject()) {
        error(path, "must be an object");
        return null;
      }
      int before = errors.size();
      unknownKeys(rule, RULE_KEYS, path);
      String name = text(rule, "ID", path, false);
      String status = text(rule, "Status", path, true);
      if (status != null && !status.equals("Enabled") && !status.equals("Disabled")) {
        error(path + ".Status", "must be Enabled or Disabled");
      }
      boolean v1 = rule.get("Prefix") != null && rule.get("Filter") == null;
      Rule.Filter filter =
          v1
              ? RuleDraft.filter(text(rule, "Prefix", path, false), Map.of())
              : filter(rule.get("Filter"), path + ".Filter");
      Integer priority =
          rule.get("Priority") == null
              ? Integer.valueOf(defaultPriority)
              : integer(rule.get("Priority"), path + ".Priority");
      Rule.Destination destination = destination(rule.get("Destination"), path + ".Destination");
      boolean deleteMarkers =
          v1 || enabled(rule.get("DeleteMarkerReplication"), path + ".DeleteMarkerReplication");
      JsonNode criteria = rule.get("SourceSelectionCriteria");
      boolean replicaModifications =
          criteria != null
              && criteria.isObject()
              && enabled(
                  criteria.get("ReplicaModifications"),
                  path + ".SourceSelectionCriteria.ReplicaModifications");
      Rule.ReplicationTime time =
          replicationTime(rule.get("Destination"), path + ".Destination.ReplicationTime");
      if (errors.size() > before || destination == null) {
        return null;
      }
      return new RuleDraft(
          name == null ? "rule-" + defaultPriority : name,
          "Enabled".equals(status) ? RuleStatus.ENABLED : RuleStatus.DISABLED,
          priority,
          source,
          filter,
          List.of(destination),
          deleteMarkers,
          replicaModifications,
          time,
          RuleDraft.DEFAULT_SCAN_INTERVAL_SECONDS);
    }

    private Rule.Filter filter(JsonNode filter, String path) {
      if (filter == null) {
        return Rule.Filter.ALL;
      }
      if (!filter.isObject()) {
        error(path, "must be an object with Prefix, Tag or And");
        return Rule.Filter.ALL;
      }
      unknownKeys(filter, Set.of("Prefix", "Tag", "And"), path);
      if (filter.size() > 1) {
        error(path, "may hold only one of Prefix, Tag and And (use And to combine them)");
      }
      Map<String, String> tags = new LinkedHashMap<>();
      String prefix = text(filter, "Prefix", path, false);
      if (filter.get("Tag") != null) {
        tag(filter.get("Tag"), path + ".Tag", tags);
      }
      JsonNode and = filter.get("And");
      if (and != null) {
        if (!and.isObject()) {
          error(path + ".And", "must be an object with Prefix and Tags");
        } else {
          unknownKeys(and, Set.of("Prefix", "Tags"), path + ".And");
          prefix = text(and, "Prefix", path + ".And", false);
          JsonNode list = and.get("Tags");
          if (list != null && list.isArray()) {
            for (int i = 0; i < list.size(); i++) {
              tag(list.get(i), path + ".And.Tags[" + i + "]", tags);
            }
          } else if (list != null) {
            error(path + ".And.Tags", "must be an array of {Key, Value}");
          }
        }
      }
      return RuleDraft.filter(prefix, tags);
    }

    private void tag(JsonNode tag, String path, Map<String, String> tags) {
      String key = tag.isObject() ? text(tag, "Key", path, true) : null;
      String value = tag.isObject() ? text(tag, "Value", path, true) : null;
      if (!tag.isObject()) {
        error(path, "must be {Key, Value}");
      } else if (key != null && value != null && tags.put(key, value) != null) {
        error(path, "repeats the tag key " + key);
      }
    }

    private Rule.Destination destination(JsonNode destination, String path) {
      if (destination == null || !destination.isObject()) {
        error(path, "is required: an object with Bucket");
        return null;
      }
      unknownKeys(destination, DESTINATION_KEYS, path);
      String arn = text(destination, "Bucket", path, true);
      if (arn == null) {
        return null;
      }
      if (!arn.startsWith(ARN_PREFIX) || arn.length() == ARN_PREFIX.length()) {
        error(path + ".Bucket", "must be a bucket ARN such as arn:aws:s3:::my-replica-bucket");
        return null;
      }
      UUID trust = destinationTrusts.get(arn);
      if (trust == null) {
        error(
            path + ".Bucket",
            "has no trust: map " + arn + " to the trust that reaches it in destinationTrusts");
        return null;
      }
      JsonNode translation = destination.get("AccessControlTranslation");
      boolean ownerOverride =
          translation != null
              && translation.isObject()
              && "Destination"
                  .equals(text(translation, "Owner", path + ".AccessControlTranslation", false));
      JsonNode encryption = destination.get("EncryptionConfiguration");
      String kmsKey =
          encryption != null && encryption.isObject()
              ? text(encryption, "ReplicaKmsKeyID", path + ".EncryptionConfiguration", false)
              : null;
      return new Rule.Destination(
          trust,
          arn.substring(ARN_PREFIX.length()),
          text(destination, "StorageClass", path, false),
          ownerOverride,
          kmsKey);
    }

    private Rule.ReplicationTime replicationTime(JsonNode destination, String path) {
      JsonNode time =
          destination == null || !destination.isObject()
              ? null
              : destination.get("ReplicationTime");
      if (time == null) {
        return new Rule.ReplicationTime(false, Rule.ReplicationTime.DEFAULT_MINUTES);
      }
      boolean enabled = enabled(time, path);
      JsonNode minutes =
          time.isObject() && time.get("Time") != null && time.get("Time").isObject()
              ? time.get("Time").get("Minutes")
              : null;
      Integer value =
          minutes == null
              ? Integer.valueOf(Rule.ReplicationTime.DEFAULT_MINUTES)
              : integer(minutes, path + ".Time.Minutes");
      return new Rule.ReplicationTime(
          enabled, value == null ? Rule.ReplicationTime.DEFAULT_MINUTES : value);
    }

    private boolean enabled(JsonNode holder, String path) {
      if (holder == null) {
        return false;
      }
      String status = holder.isObject() ? text(holder, "Status", path, true) : null;
      if (!holder.isObject()
          || (status != null && !status.equals("Enabled") && !status.equals("Disabled"))) {
        error(path + ".Status", "must be Enabled or Disabled");
      }
      return "Enabled".equals(status);
    }

    private String text(JsonNode holder, String key, String path, boolean required) {
      JsonNode value = holder.get(key);
      if (value == null || value.isNull()) {
        if (required) {
          error(path + "." + key, "is required");
        }
        return null;
      }
      if (!value.isString()) {
        error(path + "." + key, "must be a string");
        return null;
      }
      return value.getStringValue();
    }

    private Integer integer(JsonNode value, String path) {
      if (!value.isNumber()) {
        error(path, "must be a whole number");
        return null;
      }
      return value.getIntValue();
    }

    private void unknownKeys(JsonNode object, Set<String> known, String path) {
      for (Map.Entry<String, JsonNode> entry : object.entries()) {
        if (!known.contains(entry.getKey())) {
          error(path + "." + entry.getKey(), "is not part of an S3 replication configuration");
        }
      }
    }

    private void error(String field, String message) {
      errors.add(new Problem.FieldError(field, message));
    }

    private static RuleDraft withDestinations(
        RuleDraft draft, List<Rule.Destination> destinations) {
      return new RuleDraft(
          draft.name(),
          draft.status(),
          draft.priority(),
          draft.source(),
          draft.filter(),
          destinations,
          draft.deleteMarkerReplication(),
          draft.replicaModifications(),
          draft.replicationTime(),
          draft.scanIntervalSeconds());
    }
  }
}
