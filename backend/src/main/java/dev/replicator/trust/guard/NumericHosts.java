package dev.replicator.trust.guard;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads IPv4 addresses the way C's {@code inet_aton} does, which many resolvers and HTTP stacks
 * accept: one to four parts, each decimal, octal (leading 0) or hex (0x), the last part filling the
 * remaining bytes. So {@code 2130706433}, {@code 0x7f.1}, {@code 0177.0.0.1} and {@code 127.1} are
 * all 127.0.0.1 and are judged as such. Reads IPv6 literals without asking a resolver, also with a
 * zone index ({@code fe80::1%25eth0} as RFC 6874 writes it in URLs, {@code fe80::1%eth0}
 * elsewhere): the address is judged without the zone.
 */
final class NumericHosts {

  private static final Pattern IPV6 = Pattern.compile("(?i)[0-9a-f:.]*:[0-9a-f:.]*");

  private static final Pattern NUMERIC =
      Pattern.compile("(?i)(0x[0-9a-f]*|[0-9]+)(\\.(0x[0-9a-f]*|[0-9]+)){0,3}\\.?");

  private NumericHosts() {}

  static boolean looksNumeric(String host) {
    return NUMERIC.matcher(host).matches();
  }

  /**
   * Whether the host is an IPv6 literal (brackets already removed), with or without a zone index.
   */
  static boolean looksIpv6(String host) {
    return host.contains(":");
  }

  /**
   * Whether an IPv6 literal names a zone ({@code %eth0}, {@code %25lo}): a network interface of
   * this machine.
   */
  static boolean hasZone(String host) {
    return looksIpv6(host) && host.indexOf('%') >= 0;
  }

  /**
   * The address an IPv6 literal spells, without its zone index, or empty if it is not a valid
   * literal.
   */
  static Optional<InetAddress> parseIpv6(String host) {
    int zone = host.indexOf('%');
    String address = zone < 0 ? host : host.substring(0, zone);
    if (!IPV6.matcher(address).matches()) {
      return Optional.empty();
    }
    try {
      // Only hex digits, colons and dots: InetAddress reads this as a literal and never asks DNS.
      return Optional.of(InetAddress.getByName(address));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  /** The address a numeric host spells, or empty if it is not a valid spelling. */
  static Optional<InetAddress> parse(String host) {
    if (!looksNumeric(host)) {
      return Optional.empty();
    }
    String[] parts =
        (host.endsWith(".") ? host.substring(0, host.length() - 1) : host).split("\\.", -1);
    long[] values = new long[parts.length];
    for (int i = 0; i < parts.length; i++) {
      Optional<Long> value = part(parts[i]);
      if (value.isEmpty()) {
        return Optional.empty();
      }
      values[i] = value.get();
    }
    long address = 0;
    for (int i = 0; i < parts.length - 1; i++) {
      if (values[i] > 0xff) {
        return Optional.empty();
      }
      address |= values[i] << (24 - 8 * i);
    }
    long last = values[parts.length - 1];
    long lastMax = (1L << (8 * (5 - parts.length))) - 1;
    if (last > lastMax) {
      return Optional.empty();
    }
    address |= last;
    byte[] bytes = {
      (byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address
    };
    try {
      return Optional.of(InetAddress.getByAddress(host, bytes));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  private static Optional<Long> part(String text) {
    try {
      if (text.regionMatches(true, 0, "0x", 0, 2)) {
        return Optional.of(text.length() == 2 ? 0L : Long.parseLong(text.substring(2), 16));
      }
      if (text.length() > 1 && text.startsWith("0")) {
        return Optional.of(Long.parseLong(text.substring(1), 8));
      }
      return Optional.of(Long.parseLong(text));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
