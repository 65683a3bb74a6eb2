package dev.replicator.notification;

import dev.replicator.platform.Backoff;
import dev.replicator.platform.HousekeepingSettings;
import dev.replicator.platform.crypto.SecretCipher;
import dev.replicator.platform.roles.SchedulerRole;
import dev.replicator.trust.guard.EndpointGuard;
import dev.replicator.trust.guard.GuardedDnsResolver;
import io.micronaut.json.JsonMapper;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpPost;
import org.apache.http.entity.ContentType;
import org.apache.http.entity.StringEntity;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.util.EntityUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Emits {@code OperationMissedThreshold} for versions pending too long, and POSTs due deliveries to
 * their webhooks, signed with the webhook's secret. A delivery that gets no 2xx is retried with
 * exponential backoff (about 1 s, 2 s, 4 s … up to 5 minutes) and fails after {@value
 * #MAX_ATTEMPTS} attempts. Connections go through the endpoint guard. Ended deliveries are deleted
 * after the task retention ({@code REPLICATOR_TASK_RETENTION}).
 */
@SchedulerRole
@Singleton
public class WebhookDispatcher {

  static final int MAX_ATTEMPTS = 10;
  private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatcher.class);
  private static final Duration LEASE = Duration.ofMinutes(1);
  private static final int TIMEOUT_MILLIS = 10_000;

  private final WebhookStore store;
  private final WebhookService webhooks;
  private final SecretCipher cipher;
  private final JsonMapper json;
  private final Clock clock;
  private final CloseableHttpClient http;
  private final HousekeepingSettings housekeeping;

  public WebhookDispatcher(
      WebhookStore store,
      WebhookService webhooks,
      SecretCipher cipher,
      JsonMapper json,
      Clock clock,
      EndpointGuard guard,
      HousekeepingSettings housekeeping) {
    this.store = store;
    this.webhooks = webhooks;
    this.housekeeping = housekeeping;
    this.cipher = cipher;
    this.json = json;
    this.clock = clock;
    this.http =
        HttpClients.custom()
            .setDnsResolver(new GuardedDnsResolver(guard))
            .disableRedirectHandling()
            .setDefaultRequestConfig(
                RequestConfig.custom()
                    .setConnectTimeout(TIMEOUT_MILLIS)
                    .setSocketTimeout(TIMEOUT_MILLIS)
                    .setConnectionRequestTimeout(TIMEOUT_MILLIS)
                    .build())
            .build();
  }

  @Scheduled(
      fixedDelay = "${replicator.webhooks.tick:1s}",
      initialDelay = "${replicator.webhooks.initial-delay:2s}")
  void tick() {
    try {
      webhooks.emitMissedThresholds();
      for (WebhookStore.Due delivery : store.claimDue(50, LEASE)) {
        send(delivery);
      }
    } catch (RuntimeException e) {
      LOG.warn(
          "Delivering replication events failed; trying again at the next tick: {}",
          e.getMessage());
    }
  }

  private void send(WebhookStore.Due delivery) {
    Integer status = null;
    String error;
    try {
      String body = json.writeValueAsString(EventPayload.of(delivery));
      String secret =
          cipher.open(
              delivery.secret(),
              WebhookService.secretContext(delivery.tenantId(), delivery.webhookId()));
      HttpPost post = new HttpPost(delivery.url());
      post.setEntity(
          new StringEntity(body, ContentType.APPLICATION_JSON.withCharset(StandardCharsets.UTF_8)));
      post.setHeader("X-Replicator-Event", delivery.eventName());
      post.setHeader("X-Replicator-Delivery", delivery.id().toString());
      post.setHeader(
          "X-Replicator-Signature", EventPayload.signature(secret, clock.instant(), body));
      post.setHeader("User-Agent", "Replicator-Webhooks/1");
      try (CloseableHttpResponse response = http.execute(post)) {
        status = response.getStatusLine().getStatusCode();
        EntityUtils.consumeQuietly(response.getEntity());
      }
      if (status >= 200 && status < 300) {
        store.attempted(delivery, true, status, null, null);
        return;
      }
      error =
          "The endpoint answered HTTP " + status + "; it must answer 2xx to acknowledge the event.";
    } catch (IOException | RuntimeException e) {
      LOG.info(
          "Delivery {} of webhook {} got no answer: {}",
          delivery.id(),
          delivery.webhookId(),
          e.toString());
      error = "Could not reach the endpoint: " + DeliveryErrors.of(delivery.url(), e);
    }
    int attempts = delivery.attempts() + 1;
    Instant next = attempts >= MAX_ATTEMPTS ? null : clock.instant().plus(Backoff.delay(attempts));
    store.attempted(
        delivery,
        false,
        status,
        next == null ? error + " Gave up after " + attempts + " attempts." : error,
        next);
  }

  /** Deliveries that ended are kept as long as the task queue keeps ended tasks. */
  @Scheduled(
      fixedDelay = "${replicator.housekeeping.tick:1m}",
      initialDelay = "${replicator.housekeeping.tick:1m}")
  void prune() {
    try {
      while (store.pruneEnded(
              clock.instant().minus(housekeeping.retention()), housekeeping.batchSize())
          == housekeeping.batchSize()) {
        LOG.debug("Pruned a batch of ended webhook deliveries");
      }
    } catch (RuntimeException e) {
      LOG.warn("Pruning webhook deliveries failed; trying again later: {}", e.getMessage());
    }
  }

  @PreDestroy
  void close() throws IOException {
    http.close();
  }
}
