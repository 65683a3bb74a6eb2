package dev.replicator.rule;

import dev.replicator.platform.paging.Page;
import dev.replicator.platform.paging.PageRequest;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/** Stores rules with their filter tags and destinations, and reads them back whole. */
@Singleton
class RuleStore {

  private final RuleRowRepository rows;
  private final Jdbi jdbi;

  RuleStore(RuleRowRepository rows, Jdbi jdbi) {
    this.rows = rows;
    this.jdbi = jdbi;
  }

  @Transactional
  public void insert(Rule rule) {
    rows.save(toRow(rule));
    insertChildren(rule);
  }

  @Transactional
  public void replace(Rule rule) {
    rows.update(toRow(rule));
    jdbi.useHandle(
        handle -> {
          handle
              .createUpdate(
                  "DELETE FROM rule_filter_tags WHERE tenant_id = :tenantId AND rule_id = :ruleId")
              .bind("tenantId", rule.tenantId())
              .bind("ruleId", rule.id())
              .execute();
          handle
              .createUpdate(
                  "DELETE FROM rule_destinations WHERE tenant_id = :tenantId AND rule_id = :ruleId")
              .bind("tenantId", rule.tenantId())
              .bind("ruleId", rule.id())
              .execute();
        });
    insertChildren(rule);
  }

  @Transactional
  public boolean delete(UUID tenantId, UUID ruleId) {
    return rows.deleteByTenantIdAndId(tenantId, ruleId) > 0;
  }

  @Transactional
  public Optional<Rule> find(UUID tenantId, UUID ruleId) {
    return rows.findByTenantIdAndId(tenantId, ruleId).map(row -> assemble(List.of(row)).get(0));
  }

  @Transactional
  public Page<Rule> list(UUID tenantId, PageRequest page) {
    return Page.of(
        assemble(
            rows.findByTenantIdAndIdGreaterThan(tenantId, page.afterOrFirst(), page.oldestFirst())),
        page,
        Rule::id,
        r -> r);
  }

  @Transactional
  public Page<Rule> listForSource(UUID tenantId, UUID trustId, String bucket, PageRequest page) {
    return Page.of(
        assemble(
            rows.findByTenantIdAndSourceTrustIdAndSourceBucketAndIdGreaterThan(
                tenantId, trustId, bucket, page.afterOrFirst(), page.oldestFirst())),
        page,
        Rule::id,
        r -> r);
  }

  /** All rules of one source bucket, highest priority first. */
  @Transactional
  public List<Rule> forSource(UUID tenantId, UUID trustId, String bucket) {
    return assemble(
        rows.findByTenantIdAndSourceTrustIdAndSourceBucketOrderByPriorityDesc(
            tenantId, trustId, bucket));
  }

  @Transactional
  public List<Rule> enabled(UUID tenantId) {
    return assemble(rows.findByTenantIdAndStatus(tenantId, RuleStatus.ENABLED));
  }

  private void insertChildren(Rule rule) {
    jdbi.useHandle(
        handle -> {
          PreparedBatch tags =
              handle.prepareBatch(
                  """
                  INSERT INTO rule_filter_tags (tenant_id, rule_id, key, value)
                  VALUES (:tenantId, :ruleId, :key, :value)""");
          new TreeMap<>(rule.filter().tags())
              .forEach(
                  (key, value) ->
                      tags.bind("tenantId", rule.tenantId())
                          .bind("ruleId", rule.id())
                          .bind("key", key)
                          .bind("value", value)
                          .add());
          if (tags.size() > 0) {
            tags.execute();
          }
          PreparedBatch destinations =
              handle.prepareBatch(
                  """
                  INSERT INTO rule_destinations (tenant_id, rule_id, position, trust_id, bucket, storage_class,
                      owner_override, kms_key_id)
                  VALUES (:tenantId, :ruleId, :position, :trustId, :bucket, :storageClass, :ownerOverride,
                      :kmsKeyId)""");
          for (int position = 0; position < rule.destinations().size(); position++) {
            Rule.Destination destination = rule.destinations().get(position);
            destinations
                .bind("tenantId", rule.tenantId())
                .bind("ruleId", rule.id())
                .bind("position", position)
                .bind("trustId", destination.trustId())
                .bind("bucket", destination.bucket())
                .bindByType("storageClass", destination.storageClass(), String.class)
                .bind("ownerOverride", destination.ownerOverride())
                .bindByType("kmsKeyId", destination.kmsKeyId(), String.class)
                .add();
          }
          if (destinations.size() > 0) {
            destinations.execute();
          }
        });
  }

  private record FilterTag(UUID ruleId, String key, String value) {}

  private List<Rule> assemble(List<RuleRow> ruleRows) {
    if (ruleRows.isEmpty()) {
      return List.of();
    }
    UUID tenantId = ruleRows.get(0).tenantId();
    List<UUID> ids = ruleRows.stream().map(RuleRow::id).toList();
    Map<UUID, Map<String, String>> tags = new HashMap<>();
    Map<UUID, List<Rule.Destination>> destinations = new HashMap<>();
    jdbi.useHandle(
        handle -> {
          handle
              .createQuery(
                  """
                  SELECT rule_id, key, value FROM rule_filter_tags
                   WHERE tenant_id = :tenantId AND rule_id = ANY (:ruleIds) ORDER BY key""")
              .bind("tenantId", tenantId)
              .bindArray("ruleIds", UUID.class, ids)
              .map(
                  (row, context) ->
                      new FilterTag(
                          row.getObject("rule_id", UUID.class),
                          row.getString("key"),
                          row.getString("value")))
              .forEach(
                  tag ->
                      tags.computeIfAbsent(tag.ruleId(), k -> new LinkedHashMap<>())
                          .put(tag.key(), tag.value()));
          handle
              .createQuery(
                  """
                  SELECT rule_id, trust_id, bucket, storage_class, owner_override, kms_key_id
                    FROM rule_destinations
                   WHERE tenant_id = :tenantId AND rule_id = ANY (:ruleIds) ORDER BY rule_id, position""")
              .bind("tenantId", tenantId)
              .bindArray("ruleIds", UUID.class, ids)
              .map(
                  (row, context) ->
                      Map.entry(
                          row.getObject("rule_id", UUID.class),
                          new Rule.Destination(
                              row.getObject("trust_id", UUID.class),
                              row.getString("bucket"),
                              row.getString("storage_class"),
                              row.getBoolean("owner_override"),
                              row.getString("kms_key_id"))))
              .forEach(
                  destination ->
                      destinations
                          .computeIfAbsent(destination.getKey(), k -> new ArrayList<>())
                          .add(destination.getValue()));
        });
    return ruleRows.stream()
        .map(
            row ->
                new Rule(
                    row.id(),
                    row.tenantId(),
                    row.name(),
                    row.status(),
                    row.priority(),
                    new Rule.Source(row.sourceTrustId(), row.sourceBucket()),
                    new Rule.Filter(
                        row.filterPrefix(), Map.copyOf(tags.getOrDefault(row.id(), Map.of()))),
                    List.copyOf(destinations.getOrDefault(row.id(), List.of())),
                    row.deleteMarkerReplication(),
                    row.replicaModifications(),
                    new Rule.ReplicationTime(
                        row.replicationTimeEnabled(), row.replicationTimeMinutes()),
                    row.scanIntervalSeconds(),
                    row.liveSince(),
                    row.createdAt(),
                    row.updatedAt()))
        .toList();
  }

  private static RuleRow toRow(Rule rule) {
    return new RuleRow(
        rule.id(),
        rule.tenantId(),
        rule.name(),
        rule.status(),
        rule.priority(),
        rule.source().trustId(),
        rule.source().bucket(),
        rule.filter().prefix(),
        rule.deleteMarkerReplication(),
        rule.replicaModifications(),
        rule.replicationTime().enabled(),
        rule.replicationTime().thresholdMinutes(),
        rule.scanIntervalSeconds(),
        rule.liveSince(),
        rule.createdAt(),
        rule.updatedAt());
  }
}
