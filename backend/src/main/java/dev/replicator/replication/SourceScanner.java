package dev.replicator.replication;

import dev.replicator.platform.roles.SchedulerRole;
import dev.replicator.rule.Rule;
import dev.replicator.rule.RuleService;
import dev.replicator.trust.client.TrustResolver;
import io.micronaut.scheduling.annotation.Scheduled;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;

/**
 * The reconciliation scan: every {@code scanIntervalSeconds}, each enabled rule lists its source
 * versions (within the filter prefix) and enqueues every version written since the rule's
 * live-since time that is not yet known. It is the safety net for lost events and the only detector
 * for stores without notifications. Known versions cost one idempotent insert per page and nothing
 * more: no HEAD, no copy.
 */
@SchedulerRole
@Singleton
public class SourceScanner {

  private static final Logger LOG = LoggerFactory.getLogger(SourceScanner.class);
  private static final Duration LEASE = Duration.ofMinutes(2);
  private static final Duration RETRY_AFTER_ERROR = Duration.ofMinutes(1);

  private final ScanCheckpoints checkpoints;
  private final RuleService rules;
  private final TrustResolver trusts;
  private final TaskQueue queue;
  private final int pageSize;
  private final String owner =
      ManagementFactory.getRuntimeMXBean().getName()
          + "/scan-"
          + UUID.randomUUID().toString().substring(0, 8);

  public SourceScanner(
      ScanCheckpoints checkpoints,
      RuleService rules,
      TrustResolver trusts,
      TaskQueue queue,
      ScanSettings settings) {
    this.checkpoints = checkpoints;
    this.rules = rules;
    this.trusts = trusts;
    this.queue = queue;
    this.pageSize = settings.pageSize();
  }

  @Scheduled(
      fixedDelay = "${replicator.scan.tick:5s}",
      initialDelay = "${replicator.scan.initial-delay:2s}")
  void tick() {
    try {
      checkpoints.register();
      Optional<ScanCheckpoints.Pass> pass = checkpoints.claimDue(owner, LEASE);
      while (pass.isPresent()) {
        scan(pass.get());
        pass = checkpoints.claimDue(owner, LEASE);
      }
    } catch (RuntimeException e) {
      LOG.warn("The reconciliation scan failed and resumes at the next tick: {}", e.getMessage());
    }
  }

  private void scan(ScanCheckpoints.Pass pass) {
    Optional<Rule> found = rules.find(pass.tenantId(), pass.ruleId());
    if (found.isEmpty()) {
      return;
    }
    Rule rule = found.get();
    Duration interval = Duration.ofSeconds(rule.scanIntervalSeconds());
    try {
      S3Client source = trusts.require(rule.tenantId(), rule.source().trustId()).s3();
      String keyMarker = pass.keyMarker();
      String versionMarker = pass.versionIdMarker();
      while (true) {
        ListObjectVersionsResponse page =
            SourceListing.page(
                source,
                rule.source().bucket(),
                rule.filter().prefix(),
                keyMarker,
                versionMarker,
                pageSize);
        keyMarker = SourceListing.nextKeyMarker(page);
        versionMarker = SourceListing.nextVersionIdMarker(page);
        if (!enqueuePage(pass, rule, page, keyMarker, versionMarker)) {
          LOG.info("Lost the scan lease of rule {}; another scheduler continues it", rule.id());
          return;
        }
        if (keyMarker == null) {
          checkpoints.finish(pass, owner, interval, true);
          return;
        }
      }
    } catch (RuntimeException e) {
      // The S3 listing, the trust or the database failed: the pass resumes from its checkpoint,
      // soon, not after its lease.
      LOG.warn(
          "Scanning the source of rule {} failed; retrying in {}: {}",
          rule.id(),
          RETRY_AFTER_ERROR,
          e.getMessage());
      try {
        checkpoints.finish(
            pass,
            owner,
            RETRY_AFTER_ERROR.compareTo(interval) < 0 ? RETRY_AFTER_ERROR : interval,
            false);
      } catch (RuntimeException stillFailing) {
        LOG.warn(
            "Could not record that; the pass is taken up again when its lease ends: {}",
            stillFailing.getMessage());
      }
    }
  }

  /**
   * The page's tasks and the checkpoint after it are stored together: a restart neither skips nor
   * repeats work.
   */
  @Transactional
  public boolean enqueuePage(
      ScanCheckpoints.Pass pass,
      Rule rule,
      ListObjectVersionsResponse page,
      String keyMarker,
      String versionMarker) {
    queue.enqueue(
        rule,
        SourceListing.versions(page, rule.deleteMarkerReplication(), rule::replicatesLive),
        "SCAN");
    return checkpoints.advance(pass, owner, keyMarker, versionMarker, LEASE);
  }
}
