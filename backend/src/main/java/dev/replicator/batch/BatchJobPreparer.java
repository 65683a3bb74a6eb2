package dev.replicator.batch;

import dev.replicator.platform.database.Notifications;
import dev.replicator.platform.database.WokenTicker;
import dev.replicator.platform.roles.SchedulerRole;
import dev.replicator.replication.SourceListing;
import dev.replicator.replication.SourceVersion;
import dev.replicator.replication.TaskQueue;
import dev.replicator.rule.Rule;
import dev.replicator.rule.RuleService;
import dev.replicator.trust.FailureText;
import dev.replicator.trust.client.TrustResolver;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;

/**
 * Turns a job's manifest into tasks, page by page: the source listing for a generated manifest, or
 * the lines of an uploaded or stored one. Each page's tasks and the checkpoint after it are written
 * in one transaction, so a bucket of any size is prepared in constant memory and a restarted
 * scheduler resumes where the last one stopped.
 */
@SchedulerRole
@Singleton
public class BatchJobPreparer implements ApplicationEventListener<ServerStartupEvent> {

  private static final Logger LOG = LoggerFactory.getLogger(BatchJobPreparer.class);
  private static final Duration RETRY_AFTER_ERROR = Duration.ofSeconds(30);

  private final BatchJobStore store;
  private final RuleService rules;
  private final TrustResolver trusts;
  private final Clock clock;
  private final int pageSize;
  private final WokenTicker ticker;

  /**
   * How long a preparation is this scheduler's; renewed with every page, taken over by another
   * after a crash.
   */
  private final Duration lease;

  private final String owner =
      ManagementFactory.getRuntimeMXBean().getName()
          + "/batch-"
          + UUID.randomUUID().toString().substring(0, 8);

  public BatchJobPreparer(
      BatchJobStore store,
      RuleService rules,
      TrustResolver trusts,
      Clock clock,
      Notifications notifications,
      BatchSettings settings) {
    this.store = store;
    this.rules = rules;
    this.trusts = trusts;
    this.clock = clock;
    this.ticker =
        new WokenTicker(
            "batch-preparer",
            settings.tick(),
            this::prepareDue,
            notifications,
            BatchJobStore.CHANGED_CHANNEL);
    this.pageSize = settings.pageSize();
    this.lease = settings.lease();
  }

  /**
   * Prepares jobs as soon as they are created (woken by the creating transaction's notification)
   * and every {@code replicator.batch.tick}, for jobs whose preparation another scheduler left.
   */
  @Override
  public void onApplicationEvent(ServerStartupEvent event) {
    ticker.start();
  }

  @PreDestroy
  void stop() {
    ticker.stop();
  }

  private void prepareDue() {
    try {
      Optional<BatchJobStore.Preparation> next = store.claimPreparation(owner, lease);
      while (next.isPresent()) {
        prepare(next.get());
        next = store.claimPreparation(owner, lease);
      }
    } catch (RuntimeException e) {
      LOG.warn("Preparing batch jobs failed; resuming at the next tick: {}", e.getMessage());
    }
  }

  private void prepare(BatchJobStore.Preparation preparation) {
    Optional<BatchJob> job = store.find(preparation.tenantId(), preparation.jobId());
    Optional<Rule> rule = rules.find(preparation.tenantId(), preparation.ruleId());
    if (job.isEmpty() || rule.isEmpty()) {
      return;
    }
    if (preparation.keyMarker() != null || preparation.manifestLine() > 0) {
      LOG.info(
          "Resuming the preparation of batch job {} after key '{}' / manifest line {}",
          preparation.jobId(),
          preparation.keyMarker(),
          preparation.manifestLine());
    }
    Step step = null;
    try {
      step = new Step(preparation, job.get(), rule.get());
      boolean held =
          switch (job.get().manifest().source()) {
            case GENERATED -> step.listing();
            case UPLOADED ->
                step.manifest(
                    new StringReader(
                        store.manifestCsv(preparation.tenantId(), preparation.jobId()).orElse("")));
            case BUCKET -> step.manifestObject();
          };
      if (held && store.prepared(preparation, owner)) {
        LOG.info("Batch job {} is prepared and running", preparation.jobId());
      }
    } catch (UnusableManifest e) {
      store.failPreparation(preparation, owner, e.getMessage());
    } catch (SdkException e) {
      String reading = step == null ? "Connecting to the source bucket" : step.reading();
      int status = FailureText.status(e);
      if (status == 403 || status == 404 || status == 400) {
        store.failPreparation(
            preparation,
            owner,
            reading
                + " failed: "
                + FailureText.of(e)
                + ". Check that the bucket exists and the trust may read it, then create the job again.");
      } else {
        store.pausePreparation(
            preparation,
            owner,
            reading
                + " failed and is retried in "
                + RETRY_AFTER_ERROR.toSeconds()
                + " s: "
                + FailureText.of(e),
            RETRY_AFTER_ERROR);
      }
    }
  }

  /** The manifest cannot be used as it is: the job fails with this message. */
  private static final class UnusableManifest extends RuntimeException {
    UnusableManifest(String message) {
      super(message);
    }
  }

  /**
   * The preparation of one job, from its checkpoint on. Returns false from a method when the lease
   * was lost.
   */
  private final class Step {
    private final BatchJobStore.Preparation preparation;
    private final BatchJob job;
    private final Rule rule;
    private final S3Client source;
    private String reading;

    Step(BatchJobStore.Preparation preparation, BatchJob job, Rule rule) {
      this.preparation = preparation;
      this.job = job;
      this.rule = rule;
      this.reading = "Listing source bucket " + rule.source().bucket();
      this.source = s3(rule.source().trustId());
    }

    String reading() {
      return reading;
    }

    boolean listing() {
      String keyMarker = preparation.keyMarker();
      String versionMarker = preparation.versionIdMarker();
      String prefix = prefix();
      do {
        ListObjectVersionsResponse page =
            SourceListing.page(
                source, rule.source().bucket(), prefix, keyMarker, versionMarker, pageSize);
        keyMarker = SourceListing.nextKeyMarker(page);
        versionMarker = SourceListing.nextVersionIdMarker(page);
        List<TaskQueue.BatchVersion> candidates =
            SourceListing.versions(page, rule.deleteMarkerReplication(), this::created).stream()
                .map(TaskQueue.BatchVersion::of)
                .toList();
        if (!store.queuePage(
            preparation, owner, job, rule, candidates, keyMarker, versionMarker, 0, lease)) {
          return false;
        }
      } while (keyMarker != null);
      return true;
    }

    boolean manifestObject() {
      BatchJob.Manifest manifest = job.manifest();
      reading = "Reading the manifest s3://" + manifest.bucket() + "/" + manifest.key();
      S3Client client = s3(manifest.trustId());
      try (var body =
          client.getObject(
              b ->
                  b.bucket(manifest.bucket())
                      .key(manifest.key())
                      .versionId(manifest.versionId()))) {
        return manifest(new InputStreamReader(body, StandardCharsets.UTF_8));
      } catch (java.io.IOException e) {
        throw SdkException.create("Reading the manifest failed: " + e.getMessage(), e);
      }
    }

    boolean manifest(Reader reader) {
      long done = preparation.manifestLine();
      try (ManifestCsv lines = new ManifestCsv(reader, rule.source().bucket())) {
        List<TaskQueue.BatchVersion> candidates = new ArrayList<>();
        long read = 0;
        while (lines.hasNext()) {
          ManifestCsv.Line line = lines.next();
          read++;
          if (read <= done) {
            continue;
          }
          if (line.problem() != null) {
            throw new UnusableManifest(
                "Manifest line "
                    + line.number()
                    + " "
                    + line.problem()
                    + ". Tasks of the lines before it were queued; fix the manifest and create a job for the rest.");
          }
          reading =
              "Reading version "
                  + line.key()
                  + (line.versionId() == null ? "" : " (" + line.versionId() + ")")
                  + " of source bucket "
                  + rule.source().bucket();
          head(line).ifPresent(candidates::add);
          if (read - done >= pageSize) {
            if (!store.queuePage(
                preparation, owner, job, rule, candidates, null, null, read, lease)) {
              return false;
            }
            candidates.clear();
            done = read;
          }
        }
        return store.queuePage(preparation, owner, job, rule, candidates, null, null, read, lease);
      } catch (IllegalArgumentException e) {
        throw new UnusableManifest(e.getMessage());
      }
    }

    /**
     * The manifest line's version as the source has it; a version the source lacks becomes a failed
     * task.
     */
    private Optional<TaskQueue.BatchVersion> head(ManifestCsv.Line line) {
      try {
        HeadObjectResponse head =
            source.headObject(
                b -> b.bucket(rule.source().bucket()).key(line.key()).versionId(line.versionId()));
        String versionId = head.versionId() == null ? "null" : head.versionId();
        return Optional.of(
            TaskQueue.BatchVersion.of(
                new SourceVersion(
                    line.key(),
                    versionId,
                    false,
                    head.contentLength(),
                    head.eTag(),
                    head.lastModified())));
      } catch (SdkException e) {
        int status = FailureText.status(e);
        if (status == 405) {
          // A delete marker: HEAD of its version id is not allowed.
          return rule.deleteMarkerReplication()
              ? Optional.of(
                  TaskQueue.BatchVersion.of(
                      new SourceVersion(
                          line.key(), line.versionId(), true, null, null, clock.instant())))
              : Optional.empty();
        }
        if (status == 404 || (status == 400 && line.versionId() != null)) {
          String versionId = line.versionId() == null ? "null" : line.versionId();
          return Optional.of(
              TaskQueue.BatchVersion.failed(
                  new SourceVersion(line.key(), versionId, false, null, null, clock.instant()),
                  "SrcKeyNotFound",
                  "The manifest names a version the source bucket does not have; check the key and version id, or remove the line."));
        }
        throw e;
      }
    }

    private boolean created(Instant lastModified) {
      BatchJob.Filter filter = job.filter();
      return (filter.createdAfter() == null || !lastModified.isBefore(filter.createdAfter()))
          && (filter.createdBefore() == null || lastModified.isBefore(filter.createdBefore()));
    }

    /**
     * The narrower of the rule's prefix and the job's; the service refused jobs whose prefix is
     * outside the rule's.
     */
    private String prefix() {
      String mine = job.filter().prefix();
      String rules = rule.filter().prefix();
      if (mine == null || rules == null) {
        return mine == null ? rules : mine;
      }
      return mine.length() >= rules.length() ? mine : rules;
    }

    private S3Client s3(UUID trustId) {
      try {
        return trusts.require(rule.tenantId(), trustId).s3();
      } catch (TrustResolver.TrustGone e) {
        throw new UnusableManifest(
            e.getMessage() + "; create the job again with an existing trust.");
      }
    }
  }
}
