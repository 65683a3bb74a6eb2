package dev.replicator.replication;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * What each stream of a SourceBody costs the source: one GET, and no more than the bytes the upload
 * took.
 */
class SourceBodyTest {

  private static final byte[] DATA = new byte[256 * 1024];

  private final Source store = new Source();
  private final S3Client client =
      S3Client.builder()
          .endpointOverride(URI.create("http://source.test:9000"))
          .region(Region.US_EAST_1)
          .forcePathStyle(true)
          .credentialsProvider(AnonymousCredentialsProvider.create())
          .httpClient(store)
          .build();

  @Test
  void aStreamReadToItsEndIsClosedForReuse() throws Exception {
    try (SourceBody body = new SourceBody(client, b -> b.bucket("bucket").key("key"))) {
      try (InputStream in = body.newStream()) {
        in.transferTo(OutputStream.nullOutputStream());
      }
    }

    assertThat(store.gets.get()).isEqualTo(1);
    assertThat(store.aborted.get()).isFalse();
  }

  @Test
  void aStreamLeftPartWayIsAbortedRatherThanDrained() throws Exception {
    try (SourceBody body = new SourceBody(client, b -> b.bucket("bucket").key("key"))) {
      body.newStream().readNBytes(1000);
    }

    assertThat(store.aborted.get()).isTrue();
  }

  @Test
  void eachStreamIsANewGet() throws Exception {
    try (SourceBody body = new SourceBody(client, b -> b.bucket("bucket").key("key"))) {
      body.newStream().readNBytes(1000);
      body.newStream().transferTo(OutputStream.nullOutputStream());
    }

    assertThat(store.gets.get()).isEqualTo(2);
  }

  @Test
  void theGetOpenedForItsHeadersIsTheFirstStream() throws Exception {
    try (SourceBody body = new SourceBody(client, b -> b.bucket("bucket").key("key"))) {
      HeadObjectResponse head = body.open();
      assertThat(head.contentLength()).isEqualTo(DATA.length);
      assertThat(head.eTag()).isEqualTo("\"0123456789abcdef0123456789abcdef\"");
      assertThat(head.contentType()).isEqualTo("text/csv");
      assertThat(head.metadata()).containsEntry("owner", "team-a");
      assertThat(head.tagCount()).isEqualTo(2);
      assertThat(head.objectLockLegalHoldStatusAsString()).isEqualTo("ON");
      assertThat(store.gets.get()).isEqualTo(1);

      assertThat(body.newStream().readAllBytes()).isEqualTo(DATA);
      assertThat(body.md5())
          .isEqualTo(
              java.util.HexFormat.of()
                  .formatHex(java.security.MessageDigest.getInstance("MD5").digest(DATA)));
      assertThat(store.gets.get())
          .as("the upload's first attempt streams the GET already made")
          .isEqualTo(1);
      body.newStream().transferTo(OutputStream.nullOutputStream());
      assertThat(store.gets.get()).as("a retried upload reads again").isEqualTo(2);
    }
  }

  /** Answers every GET with DATA; remembers whether a response was aborted. */
  private static final class Source implements SdkHttpClient {
    final AtomicInteger gets = new AtomicInteger();
    final AtomicBoolean aborted = new AtomicBoolean();

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
      return new ExecutableHttpRequest() {
        @Override
        public HttpExecuteResponse call() {
          gets.incrementAndGet();
          return HttpExecuteResponse.builder()
              .response(
                  SdkHttpResponse.builder()
                      .statusCode(200)
                      .putHeader("Content-Length", Integer.toString(DATA.length))
                      .putHeader("ETag", "\"0123456789abcdef0123456789abcdef\"")
                      .putHeader("Content-Type", "text/csv")
                      .putHeader("x-amz-meta-owner", "team-a")
                      .putHeader("x-amz-tagging-count", "2")
                      .putHeader("x-amz-object-lock-legal-hold", "ON")
                      .build())
              .responseBody(
                  AbortableInputStream.create(
                      new ByteArrayInputStream(DATA), () -> aborted.set(true)))
              .build();
        }

        @Override
        public void abort() {
          aborted.set(true);
        }
      };
    }

    @Override
    public void close() {}
  }
}
