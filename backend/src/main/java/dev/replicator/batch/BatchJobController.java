package dev.replicator.batch;

import dev.replicator.platform.paging.Page;
import dev.replicator.platform.paging.PageRequest;
import dev.replicator.platform.problem.ApiException;
import dev.replicator.platform.roles.ApiRole;
import dev.replicator.platform.web.PathIds;
import dev.replicator.rule.RuleService;
import dev.replicator.tenancy.Role;
import dev.replicator.tenancy.TenantAccess;
import dev.replicator.tenancy.TenantScope;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.server.types.files.StreamedFile;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import jakarta.validation.Valid;
import java.util.Arrays;

/**
 * Batch replication jobs: replicate existing, failed or already replicated versions of a rule on
 * demand.
 */
@ApiRole
@Controller("/api/v1/tenants/{tenantId}/batch-jobs")
@Secured(SecurityRule.IS_AUTHENTICATED)
public class BatchJobController {

  private final TenantAccess access;
  private final BatchJobService jobs;
  private final BatchJobStore store;
  private final CompletionReport reports;
  private final RuleService rules;

  public BatchJobController(
      TenantAccess access,
      BatchJobService jobs,
      BatchJobStore store,
      CompletionReport reports,
      RuleService rules) {
    this.access = access;
    this.jobs = jobs;
    this.store = store;
    this.reports = reports;
    this.rules = rules;
  }

  @Post
  public HttpResponse<BatchJob> create(
      String tenantId, @Body @Valid BatchJobRequest request, Authentication auth) {
    TenantScope scope = access.require(auth, tenantId, Role.OPERATOR);
    return HttpResponse.status(HttpStatus.CREATED)
        .body(jobs.create(scope.tenantId(), scope.caller(), request));
  }

  @Get
  public Page<BatchJob> list(
      String tenantId,
      @Nullable @QueryValue String ruleId,
      @Nullable @QueryValue String status,
      @Nullable @QueryValue Integer limit,
      @Nullable @QueryValue String cursor,
      Authentication auth) {
    TenantScope scope = access.require(auth, tenantId, Role.VIEWER);
    return store.list(
        scope.tenantId(),
        ruleId == null ? null : PathIds.parse(ruleId, "Rule"),
        status == null ? null : parse(BatchJobStatus.class, "status", status),
        PageRequest.of(limit, cursor));
  }

  @Get("/{jobId}")
  public BatchJob get(String tenantId, String jobId, Authentication auth) {
    TenantScope scope = access.require(auth, tenantId, Role.VIEWER);
    return jobs.get(scope.tenantId(), PathIds.parse(jobId, "Batch job"));
  }

  @Post("/{jobId}/cancel")
  public HttpResponse<BatchJob> cancel(String tenantId, String jobId, Authentication auth) {
    TenantScope scope = access.require(auth, tenantId, Role.OPERATOR);
    return HttpResponse.status(HttpStatus.ACCEPTED)
        .body(jobs.cancel(scope.tenantId(), scope.caller(), PathIds.parse(jobId, "Batch job")));
  }

  /**
   * The completion report; while the job runs, the tasks so far (pending ones with status PENDING).
   */
  @Get("/{jobId}/report")
  @Produces("text/csv")
  public HttpResponse<StreamedFile> report(
      String tenantId, String jobId, @Nullable @QueryValue String scope, Authentication auth) {
    TenantScope tenant = access.require(auth, tenantId, Role.VIEWER);
    BatchJob job = jobs.get(tenant.tenantId(), PathIds.parse(jobId, "Batch job"));
    BatchJob.ReportScope reportScope =
        scope == null
            ? BatchJob.ReportScope.ALL_TASKS
            : parse(BatchJob.ReportScope.class, "scope", scope);
    String bucket = rules.get(tenant.tenantId(), job.ruleId()).source().bucket();
    StreamedFile csv =
        new StreamedFile(
                reports.open(tenant.tenantId(), job.id(), bucket, reportScope),
                new MediaType("text/csv"))
            .attach("batch-job-" + job.id() + "-report.csv");
    return HttpResponse.ok(csv);
  }

  private static <E extends Enum<E>> E parse(Class<E> type, String field, String value) {
    try {
      return Enum.valueOf(type, value);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalidField(
          field,
          "must be one of "
              + String.join(", ", Arrays.stream(type.getEnumConstants()).map(Enum::name).toList()));
    }
  }
}
