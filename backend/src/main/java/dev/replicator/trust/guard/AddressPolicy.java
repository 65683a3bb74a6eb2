package dev.replicator.trust.guard;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Which addresses tenant-supplied endpoints may reach: public ones, plus the ranges the operator
 * allows. Refuses loopback, private, link-local (cloud metadata included), unspecified, multicast
 * and reserved addresses, and IPv6 forms that embed an IPv4 address (mapped, compatible, NAT64,
 * 6to4) when the embedded address is refused.
 */
public final class AddressPolicy {

  private record Range(Cidr cidr, String rule) {}

  private static final List<Range> REFUSED_V4 =
      List.of(
          range("0.0.0.0/8", "unspecified (0.0.0.0/8)"),
          range("10.0.0.0/8", "private (RFC 1918)"),
          range("100.64.0.0/10", "shared carrier-grade NAT (RFC 6598)"),
          range("127.0.0.0/8", "loopback"),
          range(
              "169.254.0.0/16", "link-local (includes the cloud metadata service 169.254.169.254)"),
          range("172.16.0.0/12", "private (RFC 1918)"),
          range("192.0.0.0/24", "reserved for protocol assignments"),
          range("192.168.0.0/16", "private (RFC 1918)"),
          range("198.18.0.0/15", "reserved for benchmarking"),
          range("224.0.0.0/4", "multicast"),
          range("240.0.0.0/4", "reserved (including broadcast)"));

  private static final List<Range> REFUSED_V6 =
      List.of(
          range("::/128", "unspecified"),
          range("::1/128", "loopback"),
          range(
              "fc00::/7", "unique-local IPv6 (includes the cloud metadata service fd00:ec2::254)"),
          range("fe80::/10", "link-local IPv6"),
          range("fec0::/10", "site-local IPv6"),
          range("ff00::/8", "multicast"),
          range("2001::/32", "Teredo tunnelling"),
          range("100::/64", "discard-only"));

  private final List<Cidr> allowed;

  public AddressPolicy(List<Cidr> allowed) {
    this.allowed = List.copyOf(allowed);
  }

  /** The rule that refuses this address, or empty when it may be reached. */
  public Optional<String> refusal(InetAddress address) {
    byte[] bytes = address.getAddress();
    if (allowed.stream().anyMatch(cidr -> cidr.contains(bytes))) {
      return Optional.empty();
    }
    return bytes.length == 4 ? refusalV4(bytes) : refusalV6(bytes);
  }

  private static Optional<String> refusalV4(byte[] bytes) {
    return REFUSED_V4.stream().filter(r -> r.cidr().contains(bytes)).map(Range::rule).findFirst();
  }

  private Optional<String> refusalV6(byte[] bytes) {
    Optional<String> direct =
        REFUSED_V6.stream().filter(r -> r.cidr().contains(bytes)).map(Range::rule).findFirst();
    if (direct.isPresent()) {
      return direct;
    }
    return embeddedV4(bytes)
        .flatMap(
            v4 -> {
              if (allowed.stream().anyMatch(cidr -> cidr.contains(v4))) {
                return Optional.empty();
              }
              return refusalV4(v4).map(rule -> "an IPv6 form of an IPv4 address that is " + rule);
            });
  }

  /**
   * The IPv4 address inside IPv4-mapped (::ffff:0:0/96), -compatible (::/96), NAT64 (64:ff9b::/96)
   * or 6to4 (2002::/16).
   */
  private static Optional<byte[]> embeddedV4(byte[] v6) {
    boolean mapped = allZero(v6, 0, 10) && (v6[10] & 0xff) == 0xff && (v6[11] & 0xff) == 0xff;
    boolean compatible = allZero(v6, 0, 12);
    boolean nat64 =
        (v6[0] & 0xff) == 0x00
            && (v6[1] & 0xff) == 0x64
            && (v6[2] & 0xff) == 0xff
            && (v6[3] & 0xff) == 0x9b
            && allZero(v6, 4, 12);
    if (mapped || compatible || nat64) {
      return Optional.of(Arrays.copyOfRange(v6, 12, 16));
    }
    if ((v6[0] & 0xff) == 0x20 && (v6[1] & 0xff) == 0x02) {
      return Optional.of(Arrays.copyOfRange(v6, 2, 6));
    }
    return Optional.empty();
  }

  private static boolean allZero(byte[] bytes, int from, int to) {
    for (int i = from; i < to; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private static Range range(String cidr, String rule) {
    return new Range(Cidr.parse(cidr), rule);
  }
}
