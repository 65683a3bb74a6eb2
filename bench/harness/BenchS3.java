import dev.replicator.trust.client.UnsignedUploads;
import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * The S3 client every benchmark program uses, built with the settings Replicator's trust clients
 * use for an S3_COMPATIBLE, path-style trust (backend/.../trust/client/TrustClients.java): Apache
 * HTTP client with 64 connections, 10 s connect and 60 s socket timeouts, standard retries,
 * checksums only when required, no aws-chunked uploads, and uploads (PutObject, UploadPart) signed
 * with UNSIGNED-PAYLOAD over plain HTTP so that a streamed body is read once (the SDK would
 * otherwise hash it first). Only the SDK is used here, no product code.
 */
final class BenchS3 {

  static final String ACCESS_KEY = env("BENCH_S3_ACCESS_KEY", "replicator-access-key");
  static final String SECRET_KEY = env("BENCH_S3_SECRET_KEY", "replicator-secret-key");

  private BenchS3() {}

  static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }

  /**
   * A client whose requests carry {@code userAgentSuffix}, so that they can be told apart in the
   * store's log.
   */
  static S3Client client(String endpoint, int maxConnections, String userAgentSuffix) {
    S3ClientBuilder builder =
        S3Client.builder()
            .region(Region.US_EAST_1)
            .endpointOverride(URI.create(endpoint))
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
            .httpClient(
                ApacheHttpClient.builder()
                    .maxConnections(Math.max(64, maxConnections))
                    .connectionTimeout(Duration.ofSeconds(10))
                    .socketTimeout(Duration.ofSeconds(60))
                    .build())
            .forcePathStyle(true)
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
            .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build())
            .overrideConfiguration(
                o -> {
                  o.retryStrategy(RetryMode.STANDARD);
                  o.putAdvancedOption(SdkAdvancedClientOption.USER_AGENT_SUFFIX, userAgentSuffix);
                });
    // UNSIGNED-PAYLOAD for uploads over plain HTTP, as the product signs them (the SDK has no
    // switch for it)
    UnsignedUploads.apply(builder);
    return builder.build();
  }
}
