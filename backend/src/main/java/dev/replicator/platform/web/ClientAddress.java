package dev.replicator.platform.web;

import io.micronaut.http.HttpRequest;

/**
 * The address a request came from, as the TCP connection shows it. Forwarding headers are not
 * trusted: they are set by the client unless a proxy rewrites them, and the login limit must not be
 * bypassable by a header.
 */
public final class ClientAddress {

  private ClientAddress() {}

  public static String of(HttpRequest<?> request) {
    var address = request.getRemoteAddress();
    if (address.getAddress() != null) {
      return address.getAddress().getHostAddress();
    }
    return address.getHostString();
  }
}
