package dev.replicator.trust.guard;

import java.net.UnknownHostException;

/**
 * Raised at connection time when a host resolves to a refused address. Extends {@link
 * UnknownHostException} so the HTTP client treats it as a failed lookup: no connection is
 * attempted.
 */
public class EndpointRefusedException extends UnknownHostException {

  private final String reason;

  public EndpointRefusedException(String host, String reason) {
    super("The endpoint host " + host + " is refused: it " + reason);
    this.reason = reason;
  }

  /** Why, e.g. "resolves to a loopback address". */
  public String reason() {
    return reason;
  }
}
