package dev.replicator.trust.client;

import dev.replicator.platform.crypto.SecretCipher;
import dev.replicator.trust.Compatibility;
import dev.replicator.trust.Trust;
import dev.replicator.trust.TrustType;
import dev.replicator.trust.guard.EndpointGuard;
import dev.replicator.trust.guard.GuardedDnsResolver;
import io.micronaut.core.annotation.Nullable;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;

/**
 * One S3 client per trust, built on first use and reused: its connection pool, its credentials
 * (refreshed assumed-role sessions included) and its store-specific settings. Every connection
 * resolves through the endpoint guard. A trust's clients are replaced when it changes and closed
 * when it goes.
 */
@Singleton
public class TrustClients {

  private final SecretCipher cipher;
  private final EndpointGuard guard;
  private final AwsSettings settings;
  private final AwsCredentialsProvider baseCredentials;
  private final Map<UUID, Clients> clients = new ConcurrentHashMap<>();

  public TrustClients(
      SecretCipher cipher,
      EndpointGuard guard,
      AwsSettings settings,
      @Named(BaseCredentials.NAME) AwsCredentialsProvider baseCredentials) {
    this.cipher = cipher;
    this.guard = guard;
    this.settings = settings;
    this.baseCredentials = baseCredentials;
  }

  /**
   * The S3 clients and the credentials behind them, for one version of a trust. {@code writer}
   * makes no retries of its own: repeating a PUT whose answer was lost would create a second object
   * version, so writes are retried only by the replication task, which first checks whether the
   * earlier attempt succeeded.
   */
  public record Clients(
      Instant version,
      S3Client s3,
      S3Client writer,
      AwsCredentialsProvider credentials,
      @Nullable StsClient sts,
      SdkHttpClient http)
      implements AutoCloseable {
    @Override
    public void close() {
      s3.close();
      writer.close();
      http.close();
      if (credentials instanceof AutoCloseable closeable) {
        try {
          closeable.close();
        } catch (Exception ignored) {
          // closing a credentials cache cannot fail in a way that matters here
        }
      }
      if (sts != null) {
        sts.close();
      }
    }
  }

  public Clients forTrust(Trust trust) {
    return clients.compute(
        trust.id(),
        (id, existing) -> {
          if (existing != null && existing.version().equals(trust.updatedAt())) {
            return existing;
          }
          if (existing != null) {
            existing.close();
          }
          return build(trust);
        });
  }

  public S3Client s3(Trust trust) {
    return forTrust(trust).s3();
  }

  /**
   * The client for non-idempotent writes (PUT, CreateMultipartUpload, CompleteMultipartUpload,
   * DeleteObject).
   */
  public S3Client writer(Trust trust) {
    return forTrust(trust).writer();
  }

  public void evict(UUID trustId) {
    Clients removed = clients.remove(trustId);
    if (removed != null) {
      removed.close();
    }
  }

  @PreDestroy
  void closeAll() {
    clients.values().forEach(Clients::close);
    clients.clear();
  }

  private Clients build(Trust trust) {
    StsClient sts = trust.type() == TrustType.ASSUME_ROLE ? stsFor(trust) : null;
    AwsCredentialsProvider credentials =
        trust.type() == TrustType.STATIC
            ? StaticCredentialsProvider.create(
                AwsBasicCredentials.create(
                    trust.accessKeyId(), cipher.open(trust.sealedSecret(), trust.secretContext())))
            : StsAssumeRoleCredentialsProvider.builder()
                .stsClient(sts)
                .refreshRequest(
                    AssumeRoleRequest.builder()
                        .roleArn(trust.roleArn())
                        .externalId(trust.externalId())
                        .roleSessionName("replicator-" + trust.id().toString().substring(0, 18))
                        .durationSeconds((int) settings.sessionDuration().toSeconds())
                        .build())
                .build();
    SdkHttpClient http = httpClient(true).build();
    S3Client reader = s3Client(trust, credentials, http, RetryMode.STANDARD);
    S3Client writer = s3Client(trust, credentials, http, null);
    return new Clients(trust.updatedAt(), reader, writer, credentials, sts, http);
  }

  /**
   * Both clients of a trust share its connection pool; a null retry mode means no SDK retries. The
   * SDK reads an upload's body once per attempt, over HTTP as over HTTPS: aws-chunked in AWS mode,
   * and for S3-compatible stores (which reject aws-chunked) signed with UNSIGNED-PAYLOAD, see
   * {@link UnsignedUploads}.
   */
  static S3Client s3Client(
      Trust trust, AwsCredentialsProvider credentials, SdkHttpClient http, RetryMode retries) {
    boolean compatible = trust.effectiveCompatibility() == Compatibility.S3_COMPATIBLE;
    var builder =
        S3Client.builder()
            .region(Region.of(trust.region()))
            .credentialsProvider(credentials)
            .httpClient(http)
            .forcePathStyle(trust.pathStyle())
            .overrideConfiguration(
                o -> {
                  o.addExecutionInterceptor(new ResponseCapture());
                  if (retries != null) {
                    o.retryStrategy(retries);
                  } else {
                    o.retryStrategy(b -> b.maxAttempts(1));
                  }
                })
            .serviceConfiguration(
                S3Configuration.builder().chunkedEncodingEnabled(!compatible).build());
    UnsignedUploads.apply(builder);
    if (compatible) {
      builder
          .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
          .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    }
    if (trust.endpoint() != null) {
      builder.endpointOverride(URI.create(trust.endpoint()));
    }
    return builder.build();
  }

  private StsClient stsFor(Trust trust) {
    var builder =
        StsClient.builder()
            .region(Region.of(trust.stsEndpoint() != null ? trust.region() : settings.stsRegion()))
            .credentialsProvider(baseCredentials)
            .httpClientBuilder(httpClient(trust.stsEndpoint() != null))
            .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD));
    String endpoint = trust.stsEndpoint() != null ? trust.stsEndpoint() : settings.stsEndpoint();
    if (endpoint != null && !endpoint.isBlank()) {
      builder.endpointOverride(URI.create(endpoint));
    }
    return builder.build();
  }

  /**
   * Tenant-supplied endpoints connect only through the guard; the operator's own STS endpoint does
   * not need it.
   */
  private ApacheHttpClient.Builder httpClient(boolean guarded) {
    ApacheHttpClient.Builder http =
        ApacheHttpClient.builder()
            .maxConnections(settings.maxConnections())
            .connectionTimeout(settings.connectTimeout())
            .socketTimeout(settings.socketTimeout());
    if (guarded) {
      http.dnsResolver(new GuardedDnsResolver(guard));
    }
    return http;
  }
}
