package dev.replicator.replication;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Consumer;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * A source version (or a range of it) as the body of an upload. The SDK may read a body twice (to sign the payload
 * over plain HTTP); each read streams from the source again instead of buffering. The MD5 is of the last read.
 */
final class SourceBody implements ContentStreamProvider, AutoCloseable {

  private final S3Client source;
  private final Consumer<GetObjectRequest.Builder> request;
  private ResponseInputStream<GetObjectResponse> current;
  private MessageDigest digest;

  SourceBody(S3Client source, Consumer<GetObjectRequest.Builder> request) {
    this.source = source;
    this.request = request;
  }

  @Override
  public InputStream newStream() {
    close();
    current = source.getObject(request);
    try {
      digest = MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    return new DigestInputStream(current, digest);
  }

  /** The MD5 of the bytes the upload read, in hex. */
  String md5() {
    return HexFormat.of().formatHex(digest.digest());
  }

  @Override
  public void close() {
    if (current != null) {
      try {
        current.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
