package dev.replicator.notification;

import dev.replicator.platform.crypto.SealedSecret;
import dev.replicator.platform.crypto.SealedSecrets;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The webhooks' signing secrets, for master key rotation. */
@Singleton
public class WebhookSecrets implements SealedSecrets {

  private final JdbcOperations jdbc;

  public WebhookSecrets(JdbcOperations jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  @Transactional
  public List<Stored> sealedWith(String masterKeyId, int limit) {
    return jdbc.prepareStatement(
        """
        SELECT tenant_id, id, secret_master_key_id, secret_wrapped_key, secret_ciphertext FROM webhooks
         WHERE secret_master_key_id = ? LIMIT ?""",
        statement -> {
          statement.setString(1, masterKeyId);
          statement.setInt(2, limit);
          List<Stored> found = new ArrayList<>();
          try (ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
              UUID tenantId = rs.getObject(1, UUID.class);
              UUID id = rs.getObject(2, UUID.class);
              found.add(
                  new Stored(
                      tenantId,
                      id,
                      new SealedSecret(rs.getString(3), rs.getBytes(4), rs.getBytes(5)),
                      WebhookService.secretContext(tenantId, id)));
            }
          }
          return found;
        });
  }

  @Override
  @Transactional
  public int rewrap(Stored stored, String previousKeyId, SealedSecret rewrapped) {
    return jdbc.prepareStatement(
        """
        UPDATE webhooks SET secret_master_key_id = ?, secret_wrapped_key = ?
         WHERE tenant_id = ? AND id = ? AND secret_master_key_id = ?""",
        statement -> {
          statement.setString(1, rewrapped.masterKeyId());
          statement.setBytes(2, rewrapped.wrappedDataKey());
          statement.setObject(3, stored.tenantId());
          statement.setObject(4, stored.id());
          statement.setString(5, previousKeyId);
          return statement.executeUpdate();
        });
  }

  @Override
  @Transactional
  public long countSealedWith(String masterKeyId) {
    return count("SELECT count(*) FROM webhooks WHERE secret_master_key_id = ?", masterKeyId);
  }

  @Override
  @Transactional
  public long countSealedWithOtherThan(String currentKeyId, String previousKeyId) {
    return count(
        "SELECT count(*) FROM webhooks WHERE secret_master_key_id NOT IN (?, ?)",
        currentKeyId,
        previousKeyId);
  }

  private long count(String sql, String... keys) {
    return jdbc.prepareStatement(
        sql,
        statement -> {
          for (int i = 0; i < keys.length; i++) {
            statement.setString(i + 1, keys[i]);
          }
          try (ResultSet rs = statement.executeQuery()) {
            rs.next();
            return rs.getLong(1);
          }
        });
  }
}
