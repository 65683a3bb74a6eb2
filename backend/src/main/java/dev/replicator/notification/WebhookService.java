package dev.replicator.notification;

import dev.replicator.platform.Ids;
import dev.replicator.platform.crypto.SecretCipher;
import dev.replicator.platform.problem.ApiException;
import dev.replicator.platform.problem.Problem;
import dev.replicator.replication.TaskQueue;
import dev.replicator.rule.RuleService;
import dev.replicator.tenancy.Caller;
import dev.replicator.tenancy.audit.AuditLog;
import dev.replicator.trust.guard.EndpointGuard;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Registers webhooks for replication events; their URLs pass the endpoint guard, their secrets are
 * sealed.
 */
@Singleton
public class WebhookService {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final WebhookStore store;
  private final TaskQueue queue;
  private final SecretCipher cipher;
  private final EndpointGuard guard;
  private final RuleService rules;
  private final AuditLog audit;
  private final Clock clock;

  public WebhookService(
      WebhookStore store,
      TaskQueue queue,
      SecretCipher cipher,
      EndpointGuard guard,
      RuleService rules,
      AuditLog audit,
      Clock clock) {
    this.store = store;
    this.queue = queue;
    this.cipher = cipher;
    this.guard = guard;
    this.rules = rules;
    this.audit = audit;
    this.clock = clock;
  }

  /**
   * Emits {@code OperationMissedThreshold} once for each live version still pending past its rule's
   * replication time threshold, for tenants with an enabled webhook: the queue marks the version
   * late and its deliveries are recorded in the same transaction.
   */
  @Transactional
  public int emitMissedThresholds() {
    return store.recordMissedThresholds(
        queue.markThresholdMissed(store.tenantsWithEnabledWebhooks()));
  }

  static String secretContext(UUID tenantId, UUID webhookId) {
    return "webhook:" + tenantId + ":" + webhookId;
  }

  @Transactional
  public Webhook.WithSecret create(UUID tenantId, Caller caller, WebhookInput input) {
    Instant now = clock.instant();
    Webhook webhook = validated(tenantId, Ids.next(), input, now, now);
    String secret = newSecret();
    store.insert(tenantId, webhook, cipher.seal(secret, secretContext(tenantId, webhook.id())));
    audit.record(
        tenantId, caller, "webhook.create", "webhook:" + webhook.id() + " (" + webhook.url() + ")");
    return Webhook.WithSecret.of(webhook, secret);
  }

  @Transactional
  public Webhook update(UUID tenantId, Caller caller, UUID webhookId, WebhookInput input) {
    Webhook current = get(tenantId, webhookId);
    Webhook webhook = validated(tenantId, webhookId, input, current.createdAt(), clock.instant());
    store.update(tenantId, webhook);
    audit.record(
        tenantId, caller, "webhook.update", "webhook:" + webhookId + " (" + webhook.url() + ")");
    return get(tenantId, webhookId);
  }

  /** Replaces the signing secret; the new one is in this response only. */
  @Transactional
  public Webhook.WithSecret rotateSecret(UUID tenantId, Caller caller, UUID webhookId) {
    get(tenantId, webhookId);
    String secret = newSecret();
    store.replaceSecret(
        tenantId, webhookId, cipher.seal(secret, secretContext(tenantId, webhookId)));
    audit.record(tenantId, caller, "webhook.rotate-secret", "webhook:" + webhookId);
    return Webhook.WithSecret.of(get(tenantId, webhookId), secret);
  }

  @Transactional
  public void delete(UUID tenantId, Caller caller, UUID webhookId) {
    Webhook webhook = get(tenantId, webhookId);
    store.delete(tenantId, webhookId);
    audit.record(
        tenantId, caller, "webhook.delete", "webhook:" + webhookId + " (" + webhook.url() + ")");
  }

  @Transactional
  public UUID test(UUID tenantId, Caller caller, UUID webhookId) {
    get(tenantId, webhookId);
    audit.record(tenantId, caller, "webhook.test", "webhook:" + webhookId);
    return store.queueTest(tenantId, webhookId);
  }

  public Webhook get(UUID tenantId, UUID webhookId) {
    return store
        .find(tenantId, webhookId)
        .orElseThrow(() -> ApiException.notFound("Webhook " + webhookId));
  }

  private Webhook validated(
      UUID tenantId, UUID id, WebhookInput input, Instant createdAt, Instant updatedAt) {
    List<Problem.FieldError> errors = new ArrayList<>();
    String url = input.url().strip();
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        errors.add(new Problem.FieldError("url", "must be an http:// or https:// URL"));
      } else if (uri.getRawUserInfo() != null) {
        errors.add(
            new Problem.FieldError(
                "url",
                "must not contain a user name or password; the signature authenticates events"));
      } else if (uri.getRawAuthority() == null) {
        errors.add(
            new Problem.FieldError(
                "url", "must name a host, e.g. https://hooks.example.com/replication"));
      } else if (uri.getRawFragment() != null) {
        errors.add(new Problem.FieldError("url", "must not have a fragment"));
      } else {
        guard.check("url", scheme + "://" + uri.getRawAuthority());
      }
    } catch (URISyntaxException e) {
      errors.add(new Problem.FieldError("url", "is not a valid URL (" + e.getReason() + ")"));
    }
    for (String event : input.events()) {
      if (!ReplicationEvent.NAMES.contains(event)) {
        errors.add(
            new Problem.FieldError(
                "events",
                "'" + event + "' is not one of " + String.join(", ", ReplicationEvent.NAMES)));
      }
    }
    if (input.ruleIds() != null) {
      for (UUID rule : input.ruleIds()) {
        if (rules.find(tenantId, rule).isEmpty()) {
          errors.add(new Problem.FieldError("ruleIds", rule + " names no rule of this tenant"));
        }
      }
    }
    if (!errors.isEmpty()) {
      throw ApiException.invalidFields("webhook", errors);
    }
    return new Webhook(
        id,
        url,
        input.description() == null || input.description().isBlank() ? null : input.description(),
        List.copyOf(new LinkedHashSet<>(input.events())),
        input.ruleIds() == null ? null : List.copyOf(new LinkedHashSet<>(input.ruleIds())),
        input.enabled() == null || input.enabled(),
        Webhook.Endpoint.NO_ATTEMPTS,
        createdAt,
        updatedAt);
  }

  private static String newSecret() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return "whsec_" + HexFormat.of().formatHex(bytes);
  }
}
