import static software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner.CHECKSUM_ALGORITHM;
import static software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner.CHUNK_ENCODING_ENABLED;
import static software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.auth.aws.scheme.AwsV4AuthScheme;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.scheme.AuthSchemeOption;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignRequest;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignedRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignerProperty;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.identity.spi.IdentityProviders;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.auth.scheme.S3AuthSchemeParams;
import software.amazon.awssdk.services.s3.auth.scheme.S3AuthSchemeProvider;

/**
 * The S3 client every benchmark program uses, built with the settings Replicator's trust clients use for an
 * S3_COMPATIBLE, path-style trust (backend/.../trust/client/TrustClients.java): Apache HTTP client with 64
 * connections, 10 s connect and 60 s socket timeouts, standard retries, checksums only when required, no aws-chunked
 * uploads, and uploads (PutObject, UploadPart) signed with UNSIGNED-PAYLOAD over plain HTTP so that a streamed body is
 * read once (the SDK would otherwise hash it first). Only the SDK is used here, no product code.
 */
final class BenchS3 {

  static final String ACCESS_KEY = env("BENCH_S3_ACCESS_KEY", "replicator-access-key");
  static final String SECRET_KEY = env("BENCH_S3_SECRET_KEY", "replicator-secret-key");

  private BenchS3() {}

  static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }

  /** A client whose requests carry {@code userAgentSuffix}, so that they can be told apart in the store's log. */
  static S3Client client(String endpoint, int maxConnections, String userAgentSuffix) {
    S3ClientBuilder builder = S3Client.builder()
        .region(Region.US_EAST_1)
        .endpointOverride(URI.create(endpoint))
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
        .httpClient(ApacheHttpClient.builder()
            .maxConnections(Math.max(64, maxConnections))
            .connectionTimeout(Duration.ofSeconds(10))
            .socketTimeout(Duration.ofSeconds(60))
            .build())
        .forcePathStyle(true)
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build())
        .overrideConfiguration(o -> {
          o.retryStrategy(RetryMode.STANDARD);
          o.putAdvancedOption(SdkAdvancedClientOption.USER_AGENT_SUFFIX, userAgentSuffix);
        });
    builder.authSchemeProvider(new MarkUploads(S3AuthSchemeProvider.defaultProvider())).putAuthScheme(new Scheme());
    return builder.build();
  }

  // --- UNSIGNED-PAYLOAD for uploads over plain HTTP (the SDK has no switch for it, aws/aws-sdk-java-v2#5103) ---------

  private static final SignerProperty<Boolean> UPLOAD = SignerProperty.create(BenchS3.class, "Upload");
  private static final Set<String> UPLOADS = Set.of("PutObject", "UploadPart");

  private record MarkUploads(S3AuthSchemeProvider delegate) implements S3AuthSchemeProvider {
    @Override
    public List<AuthSchemeOption> resolveAuthScheme(S3AuthSchemeParams params) {
      List<AuthSchemeOption> options = delegate.resolveAuthScheme(params);
      if (!UPLOADS.contains(params.operation())) {
        return options;
      }
      return options.stream()
          .map(o -> o.schemeId().equals(AwsV4AuthScheme.SCHEME_ID) ? o.toBuilder().putSignerProperty(UPLOAD, true).build() : o)
          .toList();
    }
  }

  private static final class Scheme implements AwsV4AuthScheme {
    private final AwsV4HttpSigner signer = new Signer();

    @Override
    public String schemeId() {
      return AwsV4AuthScheme.SCHEME_ID;
    }

    @Override
    public IdentityProvider<AwsCredentialsIdentity> identityProvider(IdentityProviders providers) {
      return providers.identityProvider(AwsCredentialsIdentity.class);
    }

    @Override
    public AwsV4HttpSigner signer() {
      return signer;
    }
  }

  private static final class Signer implements AwsV4HttpSigner {
    private final AwsV4HttpSigner sdk = AwsV4HttpSigner.create();

    @Override
    public SignedRequest sign(SignRequest<? extends AwsCredentialsIdentity> request) {
      boolean unsigned = Boolean.TRUE.equals(request.property(UPLOAD))
          && !"https".equals(request.request().protocol())
          && request.payload().isPresent()
          && !Boolean.TRUE.equals(request.property(CHUNK_ENCODING_ENABLED))
          && !request.hasProperty(CHECKSUM_ALGORITHM)
          && request.request().firstMatchingHeader("x-amz-trailer").isEmpty();
      if (!unsigned) {
        return sdk.sign(request);
      }
      ContentStreamProvider body = request.payload().orElseThrow();
      SignedRequest signed = sdk.sign(request.toBuilder().payload(null).putProperty(PAYLOAD_SIGNING_ENABLED, false).build());
      return signed.toBuilder().payload(body).build();
    }

    @Override
    public CompletableFuture<AsyncSignedRequest> signAsync(AsyncSignRequest<? extends AwsCredentialsIdentity> request) {
      return sdk.signAsync(request);
    }
  }
}
