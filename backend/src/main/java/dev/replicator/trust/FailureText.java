package dev.replicator.trust;

import dev.replicator.trust.guard.EndpointRefusedException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Failure texts a tenant may see. Connection failures are reduced to their kind: the HTTP client's
 * own messages carry addresses and ports, which would let a tenant probe the network behind
 * Replicator.
 */
public final class FailureText {

  private static final Pattern XML_CODE = Pattern.compile("<Code>([A-Za-z0-9.]{1,64})</Code>");

  private FailureText() {}

  public static String of(Exception error) {
    AwsServiceException service = serviceError(error);
    if (service != null) {
      String code = errorCode(error);
      return "the service answered " + service.statusCode() + (code.isEmpty() ? "" : " " + code);
    }
    if (error instanceof SdkClientException) {
      for (Throwable t = error; t != null; t = t.getCause()) {
        if (t instanceof EndpointRefusedException refused) {
          return "the endpoint guard refused the connection: the host " + refused.reason();
        }
        if (t instanceof UnknownHostException) {
          return "the endpoint's host name could not be resolved";
        }
        if (t instanceof ConnectException) {
          return "the endpoint refused the connection";
        }
        if (t instanceof SocketTimeoutException) {
          return "the endpoint did not answer in time";
        }
        if (t instanceof SSLException) {
          return "the TLS handshake with the endpoint failed (check its certificate)";
        }
      }
      return "the endpoint could not be reached";
    }
    return "an unexpected error occurred";
  }

  /**
   * The service's error code. Some servers wrap errors in shapes the SDK does not parse (moto's STS
   * answers {@code <ErrorResponse><Errors><Error>}), so the raw body is searched when the SDK found
   * no code.
   */
  public static String errorCode(Exception error) {
    AwsServiceException service = serviceError(error);
    if (service == null || service.awsErrorDetails() == null) {
      return "";
    }
    if (service.awsErrorDetails().errorCode() != null) {
      return service.awsErrorDetails().errorCode();
    }
    var raw = service.awsErrorDetails().rawResponse();
    if (raw != null) {
      Matcher code = XML_CODE.matcher(raw.asUtf8String());
      if (code.find()) {
        return code.group(1);
      }
    }
    return "";
  }

  public static int status(Exception error) {
    AwsServiceException service = serviceError(error);
    return service == null ? 0 : service.statusCode();
  }

  /**
   * The service's answer, also when a credentials provider wrapped it ("Unable to load
   * credentials").
   */
  private static AwsServiceException serviceError(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof AwsServiceException service) {
        return service;
      }
    }
    return null;
  }
}
