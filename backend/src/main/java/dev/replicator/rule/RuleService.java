package dev.replicator.rule;

import dev.replicator.platform.Ids;
import dev.replicator.platform.paging.Page;
import dev.replicator.platform.paging.PageRequest;
import dev.replicator.platform.persistence.SqlStates;
import dev.replicator.platform.problem.ApiException;
import dev.replicator.platform.problem.Problem;
import dev.replicator.tenancy.Caller;
import dev.replicator.tenancy.audit.AuditLog;
import dev.replicator.trust.Trust;
import dev.replicator.trust.client.TrustResolver;
import io.micronaut.context.event.ApplicationEventPublisher;
import io.micronaut.http.HttpStatus;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@Singleton
public class RuleService {

  private final RuleStore store;
  private final TrustResolver trusts;
  private final SourceVersioningCheck versioning;
  private final AuditLog audit;
  private final Clock clock;
  private final ApplicationEventPublisher<RuleChanged> changes;

  public RuleService(
      RuleStore store,
      TrustResolver trusts,
      SourceVersioningCheck versioning,
      AuditLog audit,
      Clock clock,
      ApplicationEventPublisher<RuleChanged> changes) {
    this.store = store;
    this.trusts = trusts;
    this.versioning = versioning;
    this.audit = audit;
    this.clock = clock;
    this.changes = changes;
  }

  @Transactional
  public Rule create(UUID tenantId, Caller caller, RuleDraft draft) {
    Trust source = checkReferences(tenantId, draft);
    if (draft.status() == RuleStatus.ENABLED) {
      versioning.require(source, draft.source().bucket());
    }
    Instant now = clock.instant();
    Rule rule = toRule(Ids.next(), tenantId, draft, now, now, now);
    write(rule, () -> store.insert(rule));
    audit.record(tenantId, caller, "rule.create", describe(rule));
    return rule;
  }

  /**
   * Replaces a rule's settings. Its live-since time stays: a rule enabled again catches up on the
   * versions written while it was disabled.
   */
  @Transactional
  public Rule update(UUID tenantId, Caller caller, UUID ruleId, RuleDraft draft) {
    Rule current = get(tenantId, ruleId);
    Trust source = checkReferences(tenantId, draft);
    boolean enabling =
        draft.status() == RuleStatus.ENABLED
            && (current.status() != RuleStatus.ENABLED || !current.source().equals(draft.source()));
    if (enabling) {
      versioning.require(source, draft.source().bucket());
    }
    Rule rule =
        toRule(ruleId, tenantId, draft, current.liveSince(), current.createdAt(), clock.instant());
    write(rule, () -> store.replace(rule));
    changes.publishEvent(new RuleChanged(tenantId, ruleId));
    audit.record(
        tenantId,
        caller,
        current.status() == rule.status()
            ? "rule.update"
            : rule.status() == RuleStatus.ENABLED ? "rule.enable" : "rule.disable",
        describe(rule));
    return rule;
  }

  @Transactional
  public void delete(UUID tenantId, Caller caller, UUID ruleId) {
    Rule rule = get(tenantId, ruleId);
    store.delete(tenantId, ruleId);
    changes.publishEvent(new RuleChanged(tenantId, ruleId));
    audit.record(tenantId, caller, "rule.delete", describe(rule));
  }

  public Rule get(UUID tenantId, UUID ruleId) {
    return find(tenantId, ruleId).orElseThrow(() -> ApiException.notFound("Rule " + ruleId));
  }

  public Optional<Rule> find(UUID tenantId, UUID ruleId) {
    return store.find(tenantId, ruleId);
  }

  public Page<Rule> list(UUID tenantId, Optional<Rule.Source> source, PageRequest page) {
    return source.isPresent()
        ? store.listForSource(tenantId, source.get().trustId(), source.get().bucket(), page)
        : store.list(tenantId, page);
  }

  /** The tenant's enabled rules, for matching change events. */
  public List<Rule> enabled(UUID tenantId) {
    return store.enabled(tenantId);
  }

  public List<Rule> forSource(UUID tenantId, Rule.Source source) {
    return store.forSource(tenantId, source.trustId(), source.bucket());
  }

  /** Every draft is checked before any is stored, so an import is stored whole or not at all. */
  @Transactional
  public List<Rule> importAll(UUID tenantId, Caller caller, List<RuleDraft> drafts, String base) {
    List<Problem.FieldError> errors = new ArrayList<>();
    for (int i = 0; i < drafts.size(); i++) {
      String path = base + "[" + i + "]";
      drafts
          .get(i)
          .problems()
          .forEach(e -> errors.add(new Problem.FieldError(path, e.field() + " " + e.message())));
    }
    if (!errors.isEmpty()) {
      throw new ApiException(
          HttpStatus.BAD_REQUEST,
          "validation-failed",
          "The configuration was not imported: "
              + errors.size()
              + " problem(s); nothing was stored.",
          errors);
    }
    List<Rule> created = new ArrayList<>();
    for (RuleDraft draft : drafts) {
      created.add(create(tenantId, caller, draft));
    }
    return created;
  }

  /** The source and destination trusts must be this tenant's. Returns the source trust. */
  private Trust checkReferences(UUID tenantId, RuleDraft draft) {
    List<Problem.FieldError> errors = new ArrayList<>(draft.problems());
    Optional<Trust> source = trusts.find(tenantId, draft.source().trustId());
    if (source.isEmpty()) {
      errors.add(new Problem.FieldError("source.trustId", "names no trust of this tenant"));
    }
    for (int i = 0; i < draft.destinations().size(); i++) {
      if (!trusts.exists(tenantId, draft.destinations().get(i).trustId())) {
        errors.add(
            new Problem.FieldError(
                "destinations[" + i + "].trustId", "names no trust of this tenant"));
      }
    }
    if (!errors.isEmpty()) {
      throw ApiException.invalidFields("rule", errors);
    }
    return source.get();
  }

  private static void write(Rule rule, Runnable write) {
    try {
      write.run();
    } catch (RuntimeException e) {
      if (SqlStates.isUniqueViolation(e)) {
        throw ApiException.conflict(
            "Another rule already has the name '"
                + rule.name()
                + "' or priority "
                + rule.priority()
                + " for source bucket "
                + rule.source().bucket()
                + ". Names are unique per tenant and priorities per source "
                + "bucket (as in AWS); choose another.");
      }
      throw e;
    }
  }

  private static Rule toRule(
      UUID id,
      UUID tenantId,
      RuleDraft draft,
      Instant liveSince,
      Instant createdAt,
      Instant updatedAt) {
    return new Rule(
        id,
        tenantId,
        draft.name(),
        draft.status(),
        draft.priority(),
        draft.source(),
        draft.filter(),
        draft.destinations(),
        draft.deleteMarkerReplication(),
        draft.replicaModifications(),
        draft.replicationTime(),
        draft.scanIntervalSeconds(),
        liveSince,
        createdAt,
        updatedAt);
  }

  private static String describe(Rule rule) {
    return "rule:" + rule.id() + " (" + rule.name() + ", " + rule.status() + ")";
  }
}
