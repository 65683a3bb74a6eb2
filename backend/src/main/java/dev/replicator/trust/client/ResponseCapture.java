package dev.replicator.trust.client;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Keeps a copy of the raw body of an S3 response for requests that ask for it, for what the SDK's
 * model drops: ListObjectVersions answers with versions and delete markers interleaved in the
 * source's order, and the SDK splits them into two lists (aws-sdk-java-v2 issue 1620). Only
 * requests configured with {@link #into} are captured.
 */
public final class ResponseCapture implements ExecutionInterceptor {

  private static final ExecutionAttribute<ByteArrayOutputStream> BODY =
      new ExecutionAttribute<>("replicator.captured-body");

  /** Asks for the answer's body of the request being configured to be copied into {@code body}. */
  public static void into(
      AwsRequestOverrideConfiguration.Builder request, ByteArrayOutputStream body) {
    request.putExecutionAttribute(BODY, body);
  }

  @Override
  public Optional<InputStream> modifyHttpResponseContent(
      Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
    ByteArrayOutputStream body = attributes.getAttribute(BODY);
    Optional<InputStream> content = context.responseBody();
    if (body == null || content.isEmpty()) {
      return content;
    }
    body.reset();
    return Optional.of(
        new FilterInputStream(content.get()) {
          @Override
          public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
              body.write(b);
            }
            return b;
          }

          @Override
          public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
              body.write(buffer, offset, n);
            }
            return n;
          }
        });
  }
}
