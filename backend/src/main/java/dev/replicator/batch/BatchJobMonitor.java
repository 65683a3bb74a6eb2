package dev.replicator.batch;

import dev.replicator.platform.Backoff;
import dev.replicator.platform.database.Notifications;
import dev.replicator.platform.database.WokenTicker;
import dev.replicator.platform.roles.SchedulerRole;
import dev.replicator.rule.Rule;
import dev.replicator.rule.RuleService;
import dev.replicator.trust.FailureText;
import dev.replicator.trust.client.TrustResolver;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Ends jobs whose last task has ended, records their results, and writes completion reports to
 * report buckets (retried with backoff; the report stays downloadable from the API either way).
 */
@SchedulerRole
@Singleton
public class BatchJobMonitor implements ApplicationEventListener<ServerStartupEvent> {

  private static final Logger LOG = LoggerFactory.getLogger(BatchJobMonitor.class);
  private static final int MAX_REPORT_ATTEMPTS = 12;

  private final BatchJobStore store;
  private final CompletionReport reports;
  private final RuleService rules;
  private final TrustResolver trusts;
  private final Clock clock;
  private final BatchSettings settings;
  private long lastFullCheck = System.nanoTime();
  private final WokenTicker ticker;

  public BatchJobMonitor(
      BatchJobStore store,
      CompletionReport reports,
      RuleService rules,
      TrustResolver trusts,
      Clock clock,
      Notifications notifications,
      BatchSettings settings) {
    this.store = store;
    this.reports = reports;
    this.rules = rules;
    this.trusts = trusts;
    this.clock = clock;
    this.ticker =
        new WokenTicker(
            "batch-monitor",
            settings.tick(),
            this::check,
            notifications,
            BatchJobStore.CHANGED_CHANNEL,
            BatchJobStore.TASKS_ENDED_CHANNEL);
    this.settings = settings;
  }

  /**
   * Checks every {@code replicator.batch.tick}, and at once when a job was prepared or tasks of one
   * ended anywhere (the notification of that transaction): a job shows COMPLETED as soon as its
   * last outcome is written. Results and reports follow when a job ended, and once a tick otherwise
   * (a busy queue wakes the monitor many times a second).
   */
  @Override
  public void onApplicationEvent(ServerStartupEvent event) {
    ticker.start();
  }

  @PreDestroy
  void stop() {
    ticker.stop();
  }

  private void check() {
    try {
      boolean due = System.nanoTime() - lastFullCheck >= settings.tick().toNanos();
      if (store.completeFinished() > 0 || due) {
        lastFullCheck = System.nanoTime();
        store.recordResults();
        store.dueReports().forEach(this::write);
      }
    } catch (RuntimeException e) {
      LOG.warn("Checking batch jobs failed; trying again at the next tick: {}", e.getMessage());
    }
  }

  private void write(BatchJobStore.DueReport due) {
    Optional<BatchJob> found = store.find(due.tenantId(), due.jobId());
    if (found.isEmpty() || found.get().report() == null) {
      return;
    }
    BatchJob job = found.get();
    BatchJob.Report report = job.report();
    String prefix =
        report.prefix() == null
            ? ""
            : report.prefix().endsWith("/") ? report.prefix() : report.prefix() + "/";
    String key = prefix + "job-" + job.id() + "/report.csv";
    try {
      Rule rule =
          rules
              .find(due.tenantId(), job.ruleId())
              .orElseThrow(
                  () -> new IllegalStateException("rule " + job.ruleId() + " no longer exists"));
      S3Client writer = trusts.require(due.tenantId(), report.trustId()).writer();
      Path file = Files.createTempFile("replicator-report-", ".csv");
      try {
        try (InputStream csv =
            reports.open(due.tenantId(), job.id(), rule.source().bucket(), report.scope())) {
          Files.copy(csv, file, StandardCopyOption.REPLACE_EXISTING);
        }
        writer.putObject(
            b -> b.bucket(report.bucket()).key(key).contentType("text/csv"),
            RequestBody.fromFile(file));
      } finally {
        Files.deleteIfExists(file);
      }
      store.reportAttempted(due, "s3://" + report.bucket() + "/" + key, null, null);
      LOG.info("Wrote the report of batch job {} to s3://{}/{}", job.id(), report.bucket(), key);
    } catch (SdkException
        | TrustResolver.TrustGone
        | IllegalStateException
        | IOException
        | UncheckedIOException e) {
      String reason = e instanceof SdkException sdk ? FailureText.of(sdk) : e.getMessage();
      // a deleted trust does not come back: trying again would only delay the same answer
      boolean again =
          !(e instanceof TrustResolver.TrustGone) && due.attempts() + 1 < MAX_REPORT_ATTEMPTS;
      store.reportAttempted(
          due,
          null,
          "Writing the report to s3://"
              + report.bucket()
              + "/"
              + key
              + " failed: "
              + reason
              + (again
                  ? ". Retrying; check that the trust may write to the bucket."
                  : ". Gave up; download it from the API instead."),
          again ? clock.instant().plus(Backoff.delay(due.attempts() + 1)) : null);
    }
  }
}
