package dev.replicator.batch;

import dev.replicator.platform.Ids;
import dev.replicator.platform.problem.ApiException;
import dev.replicator.platform.problem.Problem;
import dev.replicator.rule.Rule;
import dev.replicator.rule.RuleService;
import dev.replicator.rule.RuleStatus;
import dev.replicator.tenancy.Caller;
import dev.replicator.tenancy.audit.AuditLog;
import dev.replicator.trust.client.TrustResolver;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.io.StringReader;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.UUID;

/** Creates and cancels batch jobs; the scheduler prepares them and the workers copy their tasks. */
@Singleton
public class BatchJobService {

  private static final int MAX_LINE_ERRORS = 10;

  private final BatchJobStore store;
  private final RuleService rules;
  private final TrustResolver trusts;
  private final AuditLog audit;
  private final Clock clock;

  public BatchJobService(
      BatchJobStore store, RuleService rules, TrustResolver trusts, AuditLog audit, Clock clock) {
    this.store = store;
    this.rules = rules;
    this.trusts = trusts;
    this.audit = audit;
    this.clock = clock;
  }

  @Transactional
  public BatchJob create(UUID tenantId, Caller caller, BatchJobRequest request) {
    Rule rule =
        rules
            .find(tenantId, request.ruleId())
            .orElseThrow(
                () ->
                    ApiException.invalidFields(
                        "batch job",
                        List.of(new Problem.FieldError("ruleId", "names no rule of this tenant"))));
    List<Problem.FieldError> errors = new ArrayList<>();
    BatchJob.Filter filter = filter(rule, request.filter(), request.manifest() != null, errors);
    BatchJob.Manifest manifest =
        manifest(tenantId, rule, request.manifest(), request.filter() != null, errors);
    List<String> destinations = destinations(rule, request.destinations(), errors);
    BatchJob.Report report = report(tenantId, request.report(), errors);
    if (!errors.isEmpty()) {
      throw ApiException.invalidFields("batch job", errors);
    }
    if (rule.status() != RuleStatus.ENABLED) {
      throw ApiException.conflict(
          "Rule '"
              + rule.name()
              + "' is disabled, and the tasks of a batch job run only while its "
              + "rule is enabled. Enable the rule, then create the job.");
    }
    BatchJob job =
        new BatchJob(
            Ids.next(),
            rule.id(),
            blankToNull(request.description()),
            BatchJobStatus.PREPARING,
            null,
            filter,
            destinations,
            manifest,
            report,
            null,
            null,
            0,
            0,
            0,
            0,
            0,
            clock.instant(),
            caller.actor(),
            null,
            null);
    store.insert(tenantId, job, request.manifest() == null ? null : request.manifest().csv());
    audit.record(
        tenantId, caller, "batch.create", "batch-job:" + job.id() + " (rule " + rule.name() + ")");
    return job;
  }

  @Transactional
  public BatchJob cancel(UUID tenantId, Caller caller, UUID jobId) {
    BatchJob job = get(tenantId, jobId);
    if (!store.cancel(tenantId, jobId)) {
      throw ApiException.conflict(
          "Batch job "
              + jobId
              + " has already ended ("
              + job.status()
              + "); there is nothing to cancel.");
    }
    audit.record(tenantId, caller, "batch.cancel", "batch-job:" + jobId);
    return get(tenantId, jobId);
  }

  public BatchJob get(UUID tenantId, UUID jobId) {
    return store
        .find(tenantId, jobId)
        .orElseThrow(() -> ApiException.notFound("Batch job " + jobId));
  }

  private static BatchJob.Filter filter(
      Rule rule,
      BatchJobRequest.@Nullable FilterInput input,
      boolean manifestGiven,
      List<Problem.FieldError> errors) {
    if (input == null) {
      if (!manifestGiven) {
        errors.add(new Problem.FieldError("filter", "is required unless a manifest is given"));
      }
      return null;
    }
    if (manifestGiven) {
      errors.add(
          new Problem.FieldError(
              "filter", "cannot be combined with a manifest; give one or the other"));
    }
    if (input.createdAfter() != null
        && input.createdBefore() != null
        && !input.createdAfter().isBefore(input.createdBefore())) {
      errors.add(new Problem.FieldError("filter.createdBefore", "must be later than createdAfter"));
    }
    String prefix = blankToNull(input.prefix());
    String rulePrefix = rule.filter().prefix();
    if (prefix != null
        && rulePrefix != null
        && !prefix.startsWith(rulePrefix)
        && !rulePrefix.startsWith(prefix)) {
      errors.add(
          new Problem.FieldError(
              "filter.prefix",
              "selects no object of the rule, whose filter prefix is '" + rulePrefix + "'"));
    }
    return new BatchJob.Filter(
        List.copyOf(new LinkedHashSet<>(input.replicationStatuses())),
        input.createdAfter(),
        input.createdBefore(),
        prefix);
  }

  private BatchJob.Manifest manifest(
      UUID tenantId,
      Rule rule,
      BatchJobRequest.@Nullable ManifestInput input,
      boolean filterGiven,
      List<Problem.FieldError> errors) {
    if (input == null) {
      return new BatchJob.Manifest(BatchJob.ManifestSource.GENERATED, null, null, null, null);
    }
    boolean located = input.trustId() != null || input.bucket() != null || input.key() != null;
    if (input.csv() != null && located) {
      errors.add(
          new Problem.FieldError(
              "manifest", "give either csv or trustId, bucket and key, not both"));
    } else if (input.csv() != null) {
      checkCsv(input.csv(), rule.source().bucket(), errors);
      return new BatchJob.Manifest(BatchJob.ManifestSource.UPLOADED, null, null, null, null);
    } else if (input.trustId() == null
        || blankToNull(input.bucket()) == null
        || blankToNull(input.key()) == null) {
      errors.add(
          new Problem.FieldError(
              "manifest", "needs csv, or the trustId, bucket and key of a manifest object"));
    } else if (!trusts.exists(tenantId, input.trustId())) {
      errors.add(new Problem.FieldError("manifest.trustId", "names no trust of this tenant"));
    }
    return new BatchJob.Manifest(
        BatchJob.ManifestSource.BUCKET,
        input.trustId(),
        input.bucket(),
        input.key(),
        blankToNull(input.versionId()));
  }

  private static void checkCsv(String csv, String sourceBucket, List<Problem.FieldError> errors) {
    int before = errors.size();
    long lines = 0;
    try (ManifestCsv manifest = new ManifestCsv(new StringReader(csv), sourceBucket)) {
      while (manifest.hasNext() && errors.size() - before < MAX_LINE_ERRORS) {
        ManifestCsv.Line line = manifest.next();
        lines++;
        if (line.problem() != null) {
          errors.add(
              new Problem.FieldError(
                  "manifest.csv", "line " + line.number() + " " + line.problem()));
        }
      }
    } catch (IllegalArgumentException e) {
      errors.add(new Problem.FieldError("manifest.csv", e.getMessage()));
    }
    if (lines == 0 && errors.size() == before) {
      errors.add(
          new Problem.FieldError(
              "manifest.csv",
              "has no lines; give one bucket,key[,versionId] line per object version"));
    }
  }

  private static List<String> destinations(
      Rule rule, @Nullable List<String> requested, List<Problem.FieldError> errors) {
    List<String> buckets = rule.destinations().stream().map(Rule.Destination::bucket).toList();
    if (requested == null) {
      return buckets;
    }
    for (String bucket : requested) {
      if (!buckets.contains(bucket)) {
        errors.add(
            new Problem.FieldError(
                "destinations",
                "'"
                    + bucket
                    + "' is not a destination of the rule ("
                    + String.join(", ", buckets)
                    + ")"));
      }
    }
    return List.copyOf(new LinkedHashSet<>(requested));
  }

  private BatchJob.Report report(
      UUID tenantId, BatchJobRequest.@Nullable ReportInput input, List<Problem.FieldError> errors) {
    if (input == null) {
      return null;
    }
    if (!trusts.exists(tenantId, input.trustId())) {
      errors.add(new Problem.FieldError("report.trustId", "names no trust of this tenant"));
    }
    return new BatchJob.Report(
        input.trustId(),
        input.bucket(),
        blankToNull(input.prefix()),
        input.scope() == null ? BatchJob.ReportScope.ALL_TASKS : input.scope());
  }

  private static String blankToNull(@Nullable String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
