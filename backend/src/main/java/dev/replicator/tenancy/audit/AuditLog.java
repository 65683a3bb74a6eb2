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

  public Page<AuditEntry> list(UUID tenantId, PageRequest page) {
    return Page.of(
        entries.findByTenantIdAndIdLessThan(tenantId, page.beforeOrFirst(), page.newestFirst()),
        page,
        AuditEntry::id,
        e -> e);
  }
}
