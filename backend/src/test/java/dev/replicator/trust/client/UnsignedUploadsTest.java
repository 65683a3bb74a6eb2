package dev.replicator.trust.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replicator.trust.Compatibility;
import dev.replicator.trust.Trust;
import dev.replicator.trust.TrustType;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * How the trust clients sign and send an upload, seen at the HTTP client: how often the SDK opens
 * the body and what it puts in {@code x-amz-content-sha256}, over HTTP and HTTPS, for both
 * compatibility modes. The HTTP client here stands in for the network only; ReadOnceIT proves the
 * same against real servers.
 */
class UnsignedUploadsTest {

  private static final byte[] DATA = new byte[300 * 1024];

  @ParameterizedTest(name = "{0} {1} {2}")
  @CsvSource({
    "http, S3_COMPATIBLE, PutObject", "http, S3_COMPATIBLE, UploadPart",
    "https, S3_COMPATIBLE, PutObject", "https, S3_COMPATIBLE, UploadPart",
    "http, AWS, PutObject", "http, AWS, UploadPart",
    "https, AWS, PutObject", "https, AWS, UploadPart"
  })
  void anUploadOpensItsBodyOnce(String scheme, Compatibility compatibility, String operation) {
    Network network = new Network(0);
    Body body = new Body();
    try (S3Client s3 = client(scheme, compatibility, network, null)) {
      upload(s3, operation, body);
    }

    assertThat(body.opened.get()).isEqualTo(1);
    SdkHttpRequest sent = network.requests.get(0);
    assertThat(sent.firstMatchingHeader("Authorization"))
        .hasValueSatisfying(
            auth ->
                assertThat(auth).startsWith("AWS4-HMAC-SHA256 ").contains("x-amz-content-sha256"));
    if (compatibility == Compatibility.S3_COMPATIBLE) {
      assertThat(sent.firstMatchingHeader("x-amz-content-sha256")).hasValue("UNSIGNED-PAYLOAD");
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"PutObject", "UploadPart"})
  void aRetriedUploadOpensItsBodyOncePerAttempt(String operation) {
    Network network = new Network(1);
    Body body = new Body();
    try (S3Client s3 = client("http", Compatibility.S3_COMPATIBLE, network, RetryMode.STANDARD)) {
      upload(s3, operation, body);
    }

    assertThat(network.requests).hasSize(2);
    assertThat(body.opened.get()).isEqualTo(2);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"http", "https"})
  void otherRequestsWithABodyKeepTheSdksPayloadSigning(String scheme) {
    Network network = new Network(0);
    try (S3Client s3 = client(scheme, Compatibility.S3_COMPATIBLE, network, null)) {
      s3.putObjectTagging(
          b -> b.bucket("bucket").key("key").tagging(t -> t.tagSet(s -> s.key("k").value("v"))));
    }

    String contentSha256 =
        network.requests.get(0).firstMatchingHeader("x-amz-content-sha256").orElseThrow();
    if (scheme.equals("http")) {
      assertThat(contentSha256).matches("[0-9a-f]{64}");
    } else {
      assertThat(contentSha256).isEqualTo("UNSIGNED-PAYLOAD");
    }
  }

  private static S3Client client(
      String scheme, Compatibility compatibility, Network network, RetryMode retries) {
    Trust trust =
        new Trust(
            UUID.randomUUID(),
            UUID.randomUUID(),
            "store",
            TrustType.STATIC,
            scheme + "://store.test:9000",
            "us-east-1",
            true,
            compatibility,
            "AKIDEXAMPLE",
            null,
            null,
            null,
            null,
            null,
            null,
            Instant.now(),
            Instant.now());
    return TrustClients.s3Client(
        trust,
        StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")),
        network,
        retries);
  }

  private static void upload(S3Client s3, String operation, Body body) {
    RequestBody request =
        RequestBody.fromContentProvider(body, DATA.length, "application/octet-stream");
    if (operation.equals("PutObject")) {
      s3.putObject(b -> b.bucket("bucket").key("key").contentLength((long) DATA.length), request);
    } else {
      s3.uploadPart(
          b ->
              b.bucket("bucket")
                  .key("key")
                  .uploadId("upload")
                  .partNumber(1)
                  .contentLength((long) DATA.length),
          request);
    }
  }

  /** A body like SourceBody: every stream it opens would be a new GET of the source. */
  private static final class Body implements ContentStreamProvider {
    final AtomicInteger opened = new AtomicInteger();

    @Override
    public InputStream newStream() {
      opened.incrementAndGet();
      return new ByteArrayInputStream(DATA);
    }
  }

  /**
   * Sends each request by reading its body to the end; answers 500 to the first {@code failures} of
   * them.
   */
  private static final class Network implements SdkHttpClient {
    final List<SdkHttpRequest> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger failures;

    Network(int failures) {
      this.failures = new AtomicInteger(failures);
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
      return new ExecutableHttpRequest() {
        @Override
        public HttpExecuteResponse call() throws IOException {
          requests.add(request.httpRequest());
          if (request.contentStreamProvider().isPresent()) {
            try (InputStream in = request.contentStreamProvider().get().newStream()) {
              in.transferTo(OutputStream.nullOutputStream());
            }
          }
          int status = failures.getAndDecrement() > 0 ? 500 : 200;
          return HttpExecuteResponse.builder()
              .response(
                  SdkHttpResponse.builder()
                      .statusCode(status)
                      .putHeader("ETag", "\"0123456789abcdef0123456789abcdef\"")
                      .putHeader("Content-Length", "0")
                      .build())
              .responseBody(AbortableInputStream.create(new ByteArrayInputStream(new byte[0])))
              .build();
        }

        @Override
        public void abort() {}
      };
    }

    @Override
    public void close() {}
  }
}
