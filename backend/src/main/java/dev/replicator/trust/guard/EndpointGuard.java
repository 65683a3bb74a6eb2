package dev.replicator.trust.guard;

import dev.replicator.platform.problem.ApiException;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.IDN;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps tenant-supplied endpoints (S3 and STS URLs) from becoming a way into the operator's
 * network. Checked when a trust is saved, and again for every connection through {@link
 * GuardedDnsResolver}, which hands the HTTP client only the addresses it checked (no DNS rebinding
 * between check and use).
 *
 * <p>Refusals name the rule and how an operator allows a range, but never the address a name
 * resolved to, so a tenant cannot map internal names through error messages.
 */
@Singleton
public class EndpointGuard {

  private static final Logger LOG = LoggerFactory.getLogger(EndpointGuard.class);

  private final AddressPolicy policy;
  private final HostResolver resolver;

  @Inject
  public EndpointGuard(EndpointGuardSettings settings) {
    this(parseCidrs(settings.allowedEndpointCidrs()), HostResolver.SYSTEM);
  }

  public EndpointGuard(List<Cidr> allowed, HostResolver resolver) {
    this.policy = new AddressPolicy(allowed);
    this.resolver = resolver;
  }

  static List<Cidr> parseCidrs(@Nullable List<String> list) {
    if (list == null) {
      return List.of();
    }
    try {
      return list.stream().map(String::strip).filter(s -> !s.isEmpty()).map(Cidr::parse).toList();
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("REPLICATOR_ALLOWED_ENDPOINT_CIDRS: " + e.getMessage(), e);
    }
  }

  /** Validates a tenant-supplied endpoint URL; returns it normalised (no trailing slash). */
  public URI check(String field, String url) {
    URI uri = parse(field, url);
    String host = hostOf(uri);
    refuseInternal(field, host);
    String canonicalHost = NumericHosts.parse(host).map(InetAddress::getHostAddress).orElse(host);
    int port = portOf(field, uri);
    return URI.create(
        uri.getScheme().toLowerCase(Locale.ROOT)
            + "://"
            + canonicalHost
            + (port < 0 ? "" : ":" + port));
  }

  /**
   * The host of a URL, also for numeric spellings java.net.URI does not take as host names
   * (0x7f.1).
   */
  private static String hostOf(URI uri) {
    if (uri.getHost() != null) {
      return uri.getHost();
    }
    String authority = uri.getRawAuthority();
    if (authority.startsWith("[")) {
      return authority.substring(0, authority.indexOf(']') + 1);
    }
    int colon = authority.lastIndexOf(':');
    return colon < 0 ? authority : authority.substring(0, colon);
  }

  private static int portOf(String field, URI uri) {
    if (uri.getHost() != null) {
      return uri.getPort();
    }
    String authority = uri.getRawAuthority();
    int colon = authority.lastIndexOf(':');
    if (colon < 0 || authority.lastIndexOf(']') > colon) {
      return -1;
    }
    try {
      int port = Integer.parseInt(authority.substring(colon + 1));
      if (port > 0 && port < 65536) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw ApiException.invalidField(field, "has an invalid port");
  }

  /**
   * Resolves a host for a connection, returning only addresses the policy allows. Throws when the
   * host does not resolve or any of its addresses is refused (a name that mixes public and internal
   * addresses is refused whole).
   */
  public InetAddress[] resolveForConnection(String host) throws UnknownHostException {
    String name = normalise(host);
    InetAddress[] addresses = addressesOf(name);
    for (InetAddress address : addresses) {
      Optional<String> rule = policy.refusal(address);
      if (rule.isPresent()) {
        LOG.warn("Refused a connection to {} ({}): {}", name, address.getHostAddress(), rule.get());
        throw new EndpointRefusedException(name, "resolves to a " + rule.get() + " address");
      }
    }
    if (NumericHosts.hasZone(name)) {
      throw new EndpointRefusedException(
          name, "names a network interface of this server (an IPv6 zone index, %…)");
    }
    return addresses;
  }

  /**
   * A host that does not resolve now is accepted: it may be set up later, and every connection is
   * checked again. Only an answer that names a refused address is refused.
   */
  private void refuseInternal(String field, String host) {
    try {
      resolveForConnection(host);
    } catch (EndpointRefusedException e) {
      throw refused(field, host, e.reason());
    } catch (UnknownHostException e) {
      LOG.debug(
          "Endpoint host {} does not resolve yet; it is checked again on every connection", host);
    }
  }

  private InetAddress[] addressesOf(String host) throws UnknownHostException {
    if (NumericHosts.looksNumeric(host)) {
      return new InetAddress[] {
        NumericHosts.parse(host)
            .orElseThrow(() -> new EndpointRefusedException(host, "is a malformed numeric address"))
      };
    }
    if (NumericHosts.looksIpv6(host)) {
      return new InetAddress[] {
        NumericHosts.parseIpv6(host)
            .orElseThrow(() -> new EndpointRefusedException(host, "is a malformed IPv6 address"))
      };
    }
    return resolver.resolve(host);
  }

  private static URI parse(String field, String url) {
    URI uri;
    try {
      uri = new URI(url.strip());
    } catch (URISyntaxException e) {
      throw ApiException.invalidField(field, "is not a valid URL (" + e.getReason() + ")");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw ApiException.invalidField(field, "must be an http:// or https:// URL");
    }
    if (uri.getRawUserInfo() != null) {
      throw ApiException.invalidField(
          field,
          "must not contain a user name or password; credentials belong in the trust's keys");
    }
    if (uri.getRawAuthority() == null || hostOf(uri).isBlank()) {
      throw ApiException.invalidField(field, "must name a host, e.g. https://s3.example.com");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw ApiException.invalidField(field, "must not have a query or fragment");
    }
    if (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/")) {
      throw ApiException.invalidField(
          field, "must be the service's base URL without a path, e.g. https://s3.example.com");
    }
    String host = normalise(hostOf(uri));
    if (!host.contains(":") && !NumericHosts.looksNumeric(host)) {
      try {
        IDN.toASCII(host, IDN.USE_STD3_ASCII_RULES);
      } catch (IllegalArgumentException e) {
        throw ApiException.invalidField(field, "has a host name that is not valid");
      }
    }
    return uri;
  }

  private static ApiException refused(String field, String host, String reason) {
    return ApiException.invalidField(
        field,
        "is refused by the endpoint guard: the host "
            + stripBrackets(host)
            + " "
            + reason
            + ". Tenant endpoints may only reach public addresses; an operator can allow an internal range with "
            + "REPLICATOR_ALLOWED_ENDPOINT_CIDRS (e.g. 10.0.0.0/8)");
  }

  private static String stripBrackets(String host) {
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  /**
   * Lower case, without IPv6 brackets and without the root label's trailing dot ("LOCALHOST." is
   * localhost).
   */
  private static String normalise(String host) {
    String name = stripBrackets(host).toLowerCase(Locale.ROOT);
    return name.endsWith(".") && !name.endsWith("..") ? name.substring(0, name.length() - 1) : name;
  }
}
