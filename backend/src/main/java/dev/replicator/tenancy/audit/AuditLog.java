package dev.replicator.tenancy.audit;

import dev.replicator.platform.Ids;
import dev.replicator.platform.paging.Page;
import dev.replicator.platform.paging.PageRequest;
import dev.replicator.tenancy.Caller;
import io.micronaut.transaction.TransactionDefinition;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.UUID;

/**
 * Writes and reads the audit log. Callers record inside the transaction of the change itself, so a
 * change and its audit entry are stored together or not at all.
 */
@Singleton
public class AuditLog {

  /** The actor of an entry about an attempt whose caller is not known, such as a failed sign-in. */
  public static final String ANONYMOUS = "anonymous";

  private final AuditRepository entries;
  private final Clock clock;

  public AuditLog(AuditRepository entries, Clock clock) {
    this.entries = entries;
    this.clock = clock;
  }

  @Transactional(propagation = TransactionDefinition.Propagation.MANDATORY)
  public void record(UUID tenantId, Caller caller, String action, String target) {
    entries.save(
        new AuditEntry(
            Ids.next(),
            tenantId,
            clock.instant(),
            caller.actor(),
            action,
            target,
            caller.sourceIp()));
  }

  /**
   * A failed sign-in with the password of a user of {@code tenantId}: who tried is not known, so
   * the actor is {@code anonymous} and the target the user whose password was wrong.
   */
  @Transactional
  public void recordFailedSignIn(UUID tenantId, String email, String sourceIp) {
    entries.save(
        new AuditEntry(
            Ids.next(),
            tenantId,
            clock.instant(),
            ANONYMOUS,
            "session.failed",
            "user:" + email,
            sourceIp));
  }

  public Page<AuditEntry> list(UUID tenantId, AuditFilter filter, PageRequest page) {
    return Page.of(
        entries.findPage(
            tenantId,
            page.beforeOrFirst(),
            filter.action(),
            filter.actor(),
            filter.since(),
            filter.until(),
            page.fetchSize()),
        page,
        AuditEntry::id,
        e -> e);
  }
}
