package dev.replicator.trust;

import dev.replicator.platform.Ids;
import dev.replicator.platform.crypto.SealedSecret;
import dev.replicator.platform.crypto.SecretCipher;
import dev.replicator.platform.paging.Page;
import dev.replicator.platform.paging.PageRequest;
import dev.replicator.platform.persistence.SqlStates;
import dev.replicator.platform.problem.ApiException;
import dev.replicator.tenancy.Caller;
import dev.replicator.tenancy.audit.AuditLog;
import dev.replicator.trust.client.TrustClients;
import io.micronaut.context.event.ApplicationEventPublisher;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Supplier;

@Singleton
public class TrustService {

  private final TrustRepository trusts;
  private final SecretCipher cipher;
  private final TrustClients clients;
  private final AuditLog audit;
  private final Clock clock;
  private final ApplicationEventPublisher<TrustChanged> changes;

  public TrustService(
      TrustRepository trusts,
      SecretCipher cipher,
      TrustClients clients,
      AuditLog audit,
      Clock clock,
      ApplicationEventPublisher<TrustChanged> changes) {
    this.trusts = trusts;
    this.cipher = cipher;
    this.clients = clients;
    this.audit = audit;
    this.clock = clock;
    this.changes = changes;
  }

  @Transactional
  public Trust create(UUID tenantId, Caller caller, TrustType type, TrustSettings settings) {
    UUID id = Ids.next();
    Instant now = clock.instant();
    SealedSecret sealed =
        type == TrustType.STATIC
            ? cipher.seal(settings.secretAccessKey(), Trust.secretContext(tenantId, id))
            : new SealedSecret(null, null, null);
    Trust trust =
        new Trust(
            id,
            tenantId,
            settings.name(),
            type,
            settings.endpoint(),
            settings.region(),
            settings.pathStyle(),
            settings.compatibility(),
            settings.accessKeyId(),
            sealed.masterKeyId(),
            sealed.wrappedDataKey(),
            sealed.ciphertext(),
            settings.roleArn(),
            type == TrustType.ASSUME_ROLE ? ExternalIds.generate() : null,
            settings.stsEndpoint(),
            now,
            now);
    uniqueName(trust.name(), () -> trusts.save(trust));
    audit.record(tenantId, caller, "trust.create", describe(trust));
    return trust;
  }

  /**
   * Replaces the connection settings. The type and the external ID never change; the stored secret
   * is kept unless a new one is given, and must be replaced together with a new access key ID.
   */
  @Transactional
  public Trust update(UUID tenantId, Caller caller, UUID trustId, TrustSettings settings) {
    Trust current = get(tenantId, trustId);
    boolean newKeyId =
        settings.accessKeyId() != null && !settings.accessKeyId().equals(current.accessKeyId());
    if (current.type() == TrustType.STATIC && newKeyId && settings.secretAccessKey() == null) {
      throw ApiException.invalidField(
          "secretAccessKey", "is required when the access key ID changes");
    }
    Trust updated =
        new Trust(
            current.id(),
            tenantId,
            settings.name(),
            current.type(),
            settings.endpoint(),
            settings.region(),
            settings.pathStyle(),
            settings.compatibility(),
            settings.accessKeyId(),
            current.secretMasterKeyId(),
            current.secretWrappedKey(),
            current.secretCiphertext(),
            settings.roleArn(),
            current.externalId(),
            settings.stsEndpoint(),
            current.createdAt(),
            clock.instant());
    if (current.type() == TrustType.STATIC && settings.secretAccessKey() != null) {
      updated =
          updated.withSecret(
              settings.accessKeyId(),
              cipher.seal(settings.secretAccessKey(), current.secretContext()));
    }
    Trust saved = updated;
    uniqueName(saved.name(), () -> trusts.update(saved));
    clients.evict(trustId);
    changes.publishEvent(new TrustChanged(tenantId, trustId));
    audit.record(tenantId, caller, "trust.update", describe(saved));
    return saved;
  }

  @Transactional
  public void delete(UUID tenantId, Caller caller, UUID trustId) {
    Trust trust = get(tenantId, trustId);
    try {
      trusts.deleteByTenantIdAndId(tenantId, trustId);
    } catch (RuntimeException e) {
      if (SqlStates.isForeignKeyViolation(e)) {
        throw ApiException.conflict(
            "Trust "
                + trust.name()
                + " is used by replication rules (as source or destination). "
                + "Delete those rules or point them at another trust first.");
      }
      throw e;
    }
    clients.evict(trustId);
    changes.publishEvent(new TrustChanged(tenantId, trustId));
    audit.record(tenantId, caller, "trust.delete", describe(trust));
  }

  public Trust get(UUID tenantId, UUID trustId) {
    return trusts
        .findByTenantIdAndId(tenantId, trustId)
        .orElseThrow(() -> ApiException.notFound("Trust " + trustId));
  }

  public Page<Trust> list(UUID tenantId, PageRequest page) {
    return Page.of(
        trusts.findByTenantIdAndIdGreaterThan(tenantId, page.afterOrFirst(), page.oldestFirst()),
        page,
        Trust::id,
        t -> t);
  }

  private static void uniqueName(String name, Supplier<Trust> write) {
    try {
      write.get();
    } catch (RuntimeException e) {
      if (SqlStates.isUniqueViolation(e)) {
        throw ApiException.conflict(
            "This tenant already has a trust named '" + name + "'; choose another name.");
      }
      throw e;
    }
  }

  private static String describe(Trust trust) {
    return "trust:" + trust.id() + " (" + trust.name() + ", " + trust.type() + ")";
  }
}
