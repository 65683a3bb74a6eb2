package dev.replicator.trust.client;

import dev.replicator.trust.Trust;
import dev.replicator.trust.TrustRepository;
import jakarta.inject.Singleton;
import java.util.Optional;
import java.util.UUID;

/**
 * How other features reach a tenant's trust by its id, and the S3 clients built for it: the one
 * place a rule's, a job's or an upload's trust id becomes a trust and a client. A trust that no
 * longer exists is empty, or a {@link TrustGone} whose message names it, to which the caller adds
 * what the user can do.
 */
@Singleton
public class TrustResolver {

  private final TrustRepository trusts;
  private final TrustClients clients;

  TrustResolver(TrustRepository trusts, TrustClients clients) {
    this.trusts = trusts;
    this.clients = clients;
  }

  /** The tenant's trust; empty when the tenant has no trust with this id. */
  public Optional<Trust> find(UUID tenantId, UUID trustId) {
    return trusts.findByTenantIdAndId(tenantId, trustId);
  }

  public boolean exists(UUID tenantId, UUID trustId) {
    return find(tenantId, trustId).isPresent();
  }

  /** The clients of the tenant's trust; empty when the tenant has no trust with this id. */
  public Optional<TrustClients.Clients> clients(UUID tenantId, UUID trustId) {
    return find(tenantId, trustId).map(clients::forTrust);
  }

  /**
   * The clients of the tenant's trust.
   *
   * @throws TrustGone when the tenant has no trust with this id
   */
  public TrustClients.Clients require(UUID tenantId, UUID trustId) {
    return clients(tenantId, trustId).orElseThrow(() -> new TrustGone(trustId));
  }

  /** The trust a rule, job or upload names was deleted. */
  public static final class TrustGone extends RuntimeException {
    TrustGone(UUID trustId) {
      super("Trust " + trustId + " no longer exists");
    }
  }
}
