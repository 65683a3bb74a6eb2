package dev.replicator.replication;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * A source version (or a range of it) as the body of an upload, streamed from one GET of the source
 * and never buffered. The trust clients sign uploads without hashing their bodies first
 * (UNSIGNED-PAYLOAD, or signed aws-chunks in AWS mode), so the SDK opens the body once per attempt;
 * a retried upload opens it again, which streams from a new GET. The MD5 is of the last read, the
 * one whose upload answered, unless the caller turned it off ({@link #digest}: the destination's
 * ETag proves the bytes). {@link #open} makes the first GET before the upload, so that its answer
 * serves as the version's HEAD.
 */
final class SourceBody implements ContentStreamProvider, AutoCloseable {

  private final S3Client source;
  private final Consumer<GetObjectRequest.Builder> request;
  private ResponseInputStream<GetObjectResponse> current;
  private MessageDigest digest;
  private boolean digesting = true;
  private long unread;

  /** The stream {@link #open} started, for the upload's first attempt. */
  private DigestInputStream opened;

  SourceBody(S3Client source, Consumer<GetObjectRequest.Builder> request) {
    this.source = source;
    this.request = request;
  }

  /** Makes the first GET now and answers its headers, in the shape of a HEAD of the version. */
  HeadObjectResponse open() {
    opened = counted();
    return asHead(current.response());
  }

  /**
   * Whether the reads compute the MD5 of the bytes (they do unless told otherwise, before the
   * upload reads).
   */
  void digest(boolean on) {
    digesting = on;
    if (opened != null) {
      opened.on(on);
    }
  }

  @Override
  public InputStream newStream() {
    if (opened != null) {
      InputStream first = opened;
      opened = null;
      return first;
    }
    return counted();
  }

  private DigestInputStream counted() {
    close();
    current = source.getObject(request);
    Long length = current.response().contentLength();
    unread = length == null ? Long.MAX_VALUE : length;
    try {
      digest = MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    DigestInputStream stream =
        new DigestInputStream(current, digest) {
          @Override
          public int read() throws IOException {
            int b = super.read();
            unread = b < 0 ? 0 : unread - 1;
            return b;
          }

          @Override
          public int read(byte[] buffer, int offset, int length) throws IOException {
            int read = super.read(buffer, offset, length);
            unread = read < 0 ? 0 : unread - read;
            return read;
          }
        };
    stream.on(digesting);
    return stream;
  }

  /**
   * The object's headers from a GET, field by field as HeadObject models them (they are the same
   * headers).
   */
  static HeadObjectResponse asHead(GetObjectResponse get) {
    Map<String, SdkField<?>> got =
        get.sdkFields().stream().collect(Collectors.toMap(SdkField::memberName, f -> f));
    HeadObjectResponse.Builder head = HeadObjectResponse.builder();
    for (SdkField<?> field : head.sdkFields()) {
      SdkField<?> same = got.get(field.memberName());
      if (same != null) {
        field.set(head, same.getValueOrDefault(get));
      }
    }
    head.sdkHttpResponse(get.sdkHttpResponse());
    return head.build();
  }

  /** The MD5 of the bytes the upload read, in hex; null when the reads did not compute it. */
  String md5() {
    return digesting ? HexFormat.of().formatHex(digest.digest()) : null;
  }

  /**
   * A GET read to its end goes back to the connection pool; one left part-way (a failed attempt) is
   * aborted, because closing it would download the rest of it for nothing.
   */
  @Override
  public void close() {
    opened = null;
    if (current == null) {
      return;
    }
    if (unread > 0) {
      current.abort();
    } else {
      try {
        current.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    current = null;
  }
}
