package dev.replicator.trust.verify;

import dev.replicator.trust.guard.EndpointRefusedException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import javax.net.ssl.SSLException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Failure texts a tenant may see. Connection failures are reduced to their kind: the HTTP client's own messages
 * carry addresses and ports, which would let a tenant probe the network behind Replicator.
 */
final class FailureText {

  private FailureText() {}

  static String of(Exception error) {
    if (error instanceof AwsServiceException service) {
      String code = service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorCode();
      return "the store answered " + service.statusCode() + (code == null ? "" : " " + code);
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

  static String errorCode(Exception error) {
    if (error instanceof AwsServiceException service && service.awsErrorDetails() != null) {
      String code = service.awsErrorDetails().errorCode();
      return code == null ? "" : code;
    }
    return "";
  }

  static int status(Exception error) {
    return error instanceof AwsServiceException service ? service.statusCode() : 0;
  }
}
