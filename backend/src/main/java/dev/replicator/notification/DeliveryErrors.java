package dev.replicator.notification;

import dev.replicator.trust.guard.EndpointRefusedException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import javax.net.ssl.SSLException;
import org.apache.http.NoHttpResponseException;
import org.apache.http.client.ClientProtocolException;
import org.apache.http.conn.ConnectTimeoutException;

/**
 * What a tenant may read about a delivery that reached no answer: the kind of failure and the
 * endpoint as the webhook's URL names it. Never the HTTP client's own message, which lists the
 * addresses the host resolved to ({@code Connect to hooks.example:9 [hooks.example/10.0.0.7]
 * failed}) and would let a tenant map the network behind Replicator.
 */
final class DeliveryErrors {

  private DeliveryErrors() {}

  static String of(String url, Exception error) {
    String endpoint = endpoint(url);
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof EndpointRefusedException refused) {
        return "the endpoint guard refused " + endpoint + ": the host " + refused.reason() + ".";
      }
      if (t instanceof UnknownHostException) {
        return "the host name of " + endpoint + " could not be resolved.";
      }
      if (t instanceof ConnectTimeoutException) {
        return "connecting to " + endpoint + " timed out.";
      }
      if (t instanceof ConnectException) {
        return "the connection to " + endpoint + " was refused.";
      }
      if (t instanceof SocketTimeoutException) {
        return endpoint + " did not answer in time.";
      }
      if (t instanceof NoHttpResponseException) {
        return endpoint + " closed the connection without answering.";
      }
      if (t instanceof SSLException) {
        return "the TLS handshake with " + endpoint + " failed (check its certificate).";
      }
      if (t instanceof ClientProtocolException) {
        return endpoint + " did not answer with valid HTTP.";
      }
    }
    return "the connection to " + endpoint + " failed.";
  }

  /** host:port as written in the URL (the scheme's port when it names none). */
  static String endpoint(String url) {
    if (url == null) {
      return "the endpoint";
    }
    try {
      URI uri = URI.create(url);
      String host = uri.getHost() != null ? uri.getHost() : uri.getRawAuthority();
      int port =
          uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
      return host + ":" + port;
    } catch (IllegalArgumentException e) {
      return "the endpoint";
    }
  }
}
