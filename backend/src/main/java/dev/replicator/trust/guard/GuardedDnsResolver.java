package dev.replicator.trust.guard;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.apache.http.conn.DnsResolver;

/**
 * The HTTP client's DNS: every connection gets only addresses the endpoint guard checked in the
 * same lookup.
 */
public class GuardedDnsResolver implements DnsResolver {

  private final EndpointGuard guard;

  public GuardedDnsResolver(EndpointGuard guard) {
    this.guard = guard;
  }

  @Override
  public InetAddress[] resolve(String host) throws UnknownHostException {
    return guard.resolveForConnection(host);
  }
}
