package dev.replicator.notification;

import dev.replicator.platform.crypto.SealedSecret;
import dev.replicator.platform.crypto.SealedSecrets;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/** The webhooks' signing secrets, for master key rotation. */
@Singleton
public class WebhookSecrets implements SealedSecrets {

  private final Jdbi jdbi;

  public WebhookSecrets(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  @Override
  @Transactional
  public List<Stored> sealedWith(String masterKeyId, int limit) {
    return jdbi.withHandle(
        handle ->
            handle
                .createQuery(
                    """
                    SELECT tenant_id, id, secret_master_key_id, secret_wrapped_key, secret_ciphertext
                      FROM webhooks
                     WHERE secret_master_key_id = :masterKeyId LIMIT :limit""")
                .bind("masterKeyId", masterKeyId)
                .bind("limit", limit)
                .map(
                    (row, context) -> {
                      UUID tenantId = row.getObject("tenant_id", UUID.class);
                      UUID id = row.getObject("id", UUID.class);
                      return new Stored(
                          tenantId,
                          id,
                          new SealedSecret(
                              row.getString("secret_master_key_id"),
                              row.getBytes("secret_wrapped_key"),
                              row.getBytes("secret_ciphertext")),
                          WebhookService.secretContext(tenantId, id));
                    })
                .list());
  }

  @Override
  @Transactional
  public int rewrap(Stored stored, String previousKeyId, SealedSecret rewrapped) {
    return jdbi.withHandle(
        handle ->
            handle
                .createUpdate(
                    """
                    UPDATE webhooks SET secret_master_key_id = :masterKeyId, secret_wrapped_key = :wrappedKey
                     WHERE tenant_id = :tenantId AND id = :id AND secret_master_key_id = :previousKeyId""")
                .bind("masterKeyId", rewrapped.masterKeyId())
                .bind("wrappedKey", rewrapped.wrappedDataKey())
                .bind("tenantId", stored.tenantId())
                .bind("id", stored.id())
                .bind("previousKeyId", previousKeyId)
                .execute());
  }

  @Override
  @Transactional
  public long countSealedWith(String masterKeyId) {
    return jdbi.withHandle(
        handle ->
            handle
                .createQuery(
                    "SELECT count(*) FROM webhooks WHERE secret_master_key_id = :masterKeyId")
                .bind("masterKeyId", masterKeyId)
                .mapTo(Long.class)
                .one());
  }

  @Override
  @Transactional
  public long countSealedWithOtherThan(String currentKeyId, String previousKeyId) {
    return jdbi.withHandle(
        handle ->
            handle
                .createQuery(
                    """
                    SELECT count(*) FROM webhooks
                     WHERE secret_master_key_id NOT IN (:currentKeyId, :previousKeyId)""")
                .bind("currentKeyId", currentKeyId)
                .bind("previousKeyId", previousKeyId)
                .mapTo(Long.class)
                .one());
  }
}
