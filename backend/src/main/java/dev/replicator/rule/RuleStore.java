package dev.replicator.rule;

import dev.replicator.platform.paging.Page;
import dev.replicator.platform.paging.PageRequest;
import dev.replicator.platform.persistence.SqlArrays;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/** Stores rules with their filter tags and destinations, and reads them back whole. */
@Singleton
class RuleStore {

  private final RuleRowRepository rows;
  private final JdbcOperations jdbc;

  RuleStore(RuleRowRepository rows, JdbcOperations jdbc) {
    this.rows = rows;
    this.jdbc = jdbc;
  }

  @Transactional
  public void insert(Rule rule) {
    rows.save(toRow(rule));
    insertChildren(rule);
  }

  @Transactional
  public void replace(Rule rule) {
    rows.update(toRow(rule));
    jdbc.prepareStatement(
        "DELETE FROM rule_filter_tags WHERE tenant_id = ? AND rule_id = ?",
        statement -> {
          statement.setObject(1, rule.tenantId());
          statement.setObject(2, rule.id());
          return statement.executeUpdate();
        });
    jdbc.prepareStatement(
        "DELETE FROM rule_destinations WHERE tenant_id = ? AND rule_id = ?",
        statement -> {
          statement.setObject(1, rule.tenantId());
          statement.setObject(2, rule.id());
          return statement.executeUpdate();
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
    for (Map.Entry<String, String> tag : new TreeMap<>(rule.filter().tags()).entrySet()) {
      jdbc.prepareStatement(
          "INSERT INTO rule_filter_tags (tenant_id, rule_id, key, value) VALUES (?, ?, ?, ?)",
          statement -> {
            statement.setObject(1, rule.tenantId());
            statement.setObject(2, rule.id());
            statement.setString(3, tag.getKey());
            statement.setString(4, tag.getValue());
            return statement.executeUpdate();
          });
    }
    for (int position = 0; position < rule.destinations().size(); position++) {
      Rule.Destination destination = rule.destinations().get(position);
      int index = position;
      jdbc.prepareStatement(
          """
          INSERT INTO rule_destinations (tenant_id, rule_id, position, trust_id, bucket, storage_class, owner_override, kms_key_id)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
          statement -> {
            statement.setObject(1, rule.tenantId());
            statement.setObject(2, rule.id());
            statement.setInt(3, index);
            statement.setObject(4, destination.trustId());
            statement.setString(5, destination.bucket());
            statement.setString(6, destination.storageClass());
            statement.setBoolean(7, destination.ownerOverride());
            statement.setString(8, destination.kmsKeyId());
            return statement.executeUpdate();
          });
    }
  }

  private List<Rule> assemble(List<RuleRow> ruleRows) {
    if (ruleRows.isEmpty()) {
      return List.of();
    }
    UUID tenantId = ruleRows.get(0).tenantId();
    List<UUID> ids = ruleRows.stream().map(RuleRow::id).toList();
    Map<UUID, Map<String, String>> tags = new HashMap<>();
    Map<UUID, List<Rule.Destination>> destinations = new HashMap<>();
    jdbc.prepareStatement(
        "SELECT rule_id, key, value FROM rule_filter_tags WHERE tenant_id = ? AND rule_id = ANY (?) ORDER BY key",
        statement -> {
          bind(statement, tenantId, ids);
          try (ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
              tags.computeIfAbsent(rs.getObject(1, UUID.class), k -> new LinkedHashMap<>())
                  .put(rs.getString(2), rs.getString(3));
            }
          }
          return null;
        });
    jdbc.prepareStatement(
        """
        SELECT rule_id, trust_id, bucket, storage_class, owner_override, kms_key_id FROM rule_destinations
         WHERE tenant_id = ? AND rule_id = ANY (?) ORDER BY rule_id, position""",
        statement -> {
          bind(statement, tenantId, ids);
          try (ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
              destinations
                  .computeIfAbsent(rs.getObject(1, UUID.class), k -> new ArrayList<>())
                  .add(
                      new Rule.Destination(
                          rs.getObject(2, UUID.class),
                          rs.getString(3),
                          rs.getString(4),
                          rs.getBoolean(5),
                          rs.getString(6)));
            }
          }
          return null;
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

  private static void bind(PreparedStatement statement, UUID tenantId, List<UUID> ids)
      throws SQLException {
    statement.setObject(1, tenantId);
    SqlArrays.bind(statement, 2, "uuid", ids);
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
