package dev.replicator.trust.client;

import static software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner.CHECKSUM_ALGORITHM;
import static software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner.CHUNK_ENCODING_ENABLED;
import static software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.http.ContentStreamProvider;
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
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.auth.scheme.S3AuthSchemeParams;
import software.amazon.awssdk.services.s3.auth.scheme.S3AuthSchemeProvider;

/**
 * Object uploads (PutObject, UploadPart) are signed with {@code x-amz-content-sha256:
 * UNSIGNED-PAYLOAD} over plain HTTP too. Without aws-chunked encoding (which S3-compatible stores
 * reject) the SDK's SigV4 signer hashes the body of every HTTP request, reading it once to sign it
 * and again to send it: two source GETs for a body streamed from another store. S3, Ceph RGW and
 * MinIO accept unsigned payloads over HTTP; the copy's integrity rests on Content-MD5 and on
 * comparing ETags with the MD5 of the bytes read.
 *
 * <p>The SDK has no setting for this: its signer turns payload signing back on for any HTTP request
 * with a body, whatever {@code PAYLOAD_SIGNING_ENABLED} says (aws/aws-sdk-java-v2#5103). It does
 * honour the property for a request without a body, so the upload's headers are signed by the SDK's
 * own signer as if it had none and the body is attached again afterwards; every header,
 * Content-Length and Content-MD5 included, is still signed. The hooks are the SDK's documented ones
 * for custom signing: an auth scheme provider that marks the uploads and an auth scheme whose
 * signer wraps {@link AwsV4HttpSigner}.
 */
public final class UnsignedUploads {

  /** Set on the auth scheme options of the operations whose bodies may be large streams. */
  static final SignerProperty<Boolean> UPLOAD =
      SignerProperty.create(UnsignedUploads.class, "Upload");

  private static final Set<String> OPERATIONS = Set.of("PutObject", "UploadPart");

  private UnsignedUploads() {}

  /**
   * Signs the client's uploads over plain HTTP with UNSIGNED-PAYLOAD (the benchmark's baseline loop
   * uses it too).
   */
  public static void apply(S3ClientBuilder builder) {
    builder
        .authSchemeProvider(new MarkUploads(S3AuthSchemeProvider.defaultProvider()))
        .putAuthScheme(new Scheme());
  }

  /**
   * Whether the signer leaves this request's body unsigned; requests the SDK would chunk or
   * checksum are left to it.
   */
  static boolean unsigned(SignRequest<? extends AwsCredentialsIdentity> request) {
    return Boolean.TRUE.equals(request.property(UPLOAD))
        && !"https".equals(request.request().protocol())
        && request.payload().isPresent()
        && !Boolean.TRUE.equals(request.property(CHUNK_ENCODING_ENABLED))
        && !request.hasProperty(CHECKSUM_ALGORITHM)
        && request.request().firstMatchingHeader("x-amz-trailer").isEmpty();
  }

  private record MarkUploads(S3AuthSchemeProvider delegate) implements S3AuthSchemeProvider {
    @Override
    public List<AuthSchemeOption> resolveAuthScheme(S3AuthSchemeParams params) {
      List<AuthSchemeOption> options = delegate.resolveAuthScheme(params);
      if (!OPERATIONS.contains(params.operation())) {
        return options;
      }
      return options.stream()
          .map(
              option ->
                  option.schemeId().equals(AwsV4AuthScheme.SCHEME_ID)
                      ? option.toBuilder().putSignerProperty(UPLOAD, true).build()
                      : option)
          .toList();
    }
  }

  private static final class Scheme implements AwsV4AuthScheme {
    private final Signer signer = new Signer();

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
      if (!unsigned(request)) {
        return sdk.sign(request);
      }
      ContentStreamProvider body = request.payload().orElseThrow();
      SignedRequest signed =
          sdk.sign(
              request.toBuilder()
                  .payload(null)
                  .putProperty(PAYLOAD_SIGNING_ENABLED, false)
                  .build());
      return signed.toBuilder().payload(body).build();
    }

    @Override
    public CompletableFuture<AsyncSignedRequest> signAsync(
        AsyncSignRequest<? extends AwsCredentialsIdentity> request) {
      return sdk.signAsync(request);
    }
  }
}
