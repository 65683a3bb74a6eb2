package dev.replicator.notification;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A tenant's endpoint for replication events. Its signing secret is never shown again after
 * creation or rotation.
 *
 * @param ruleIds the rules whose events it receives; null for all of the tenant's rules
 */
@Serdeable
public record Webhook(
    UUID id,
    String url,
    @Nullable String description,
    List<String> events,
    @Nullable List<UUID> ruleIds,
    boolean enabled,
    Endpoint endpoint,
    Instant createdAt,
    Instant updatedAt) {

  /**
   * How the URL answered the latest delivery attempt since it was set: {@code HEALTHY} when it took
   * the event, {@code FAILING} (since the first failed attempt after the last success) when it
   * refused, timed out or could not be reached, {@code NO_ATTEMPTS} before the first.
   */
  @Serdeable
  public record Endpoint(
      State state,
      @Nullable Instant lastAttemptAt,
      @Nullable Integer lastResponseStatus,
      @Nullable String lastError,
      @Nullable Instant failingSince) {

    public enum State {
      NO_ATTEMPTS,
      HEALTHY,
      FAILING
    }

    static final Endpoint NO_ATTEMPTS = new Endpoint(State.NO_ATTEMPTS, null, null, null, null);
  }

  /** A webhook with its signing secret, in the one response that creates (or rotates) it. */
  @Serdeable
  public record WithSecret(
      UUID id,
      String url,
      @Nullable String description,
      List<String> events,
      @Nullable List<UUID> ruleIds,
      boolean enabled,
      Endpoint endpoint,
      Instant createdAt,
      Instant updatedAt,
      String secret) {

    static WithSecret of(Webhook webhook, String secret) {
      return new WithSecret(
          webhook.id(),
          webhook.url(),
          webhook.description(),
          webhook.events(),
          webhook.ruleIds(),
          webhook.enabled(),
          webhook.endpoint(),
          webhook.createdAt(),
          webhook.updatedAt(),
          secret);
    }

    @Override
    public String toString() {
      return "Webhook.WithSecret[id=" + id + ", url=" + url + "]";
    }
  }
}
