package dev.replicator.trust.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.replicator.platform.problem.ApiException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EndpointGuardTest {

  /**
   * Names with fixed answers, standing in for DNS; anything else goes to the system resolver
   * (localhost).
   */
  static final Map<String, String> DNS =
      Map.of(
          "s3.example.com", "52.216.1.1",
          "rebind-to-loopback.example", "127.0.0.1",
          "metadata.example", "169.254.169.254",
          "mixed.example", "52.216.1.2,10.1.2.3",
          "v6-public.example", "2600:1f18::1",
          "minio.lan", "192.168.10.5");

  static InetAddress[] lookup(String host) throws UnknownHostException {
    String answer = DNS.get(host);
    if (answer == null) {
      return InetAddress.getAllByName(host);
    }
    String[] parts = answer.split(",");
    InetAddress[] addresses = new InetAddress[parts.length];
    for (int i = 0; i < parts.length; i++) {
      addresses[i] = InetAddress.getByName(parts[i]);
    }
    return addresses;
  }

  final EndpointGuard guard = new EndpointGuard(List.of(), EndpointGuardTest::lookup);

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "http://127.0.0.1:9000                | loopback",
        "http://localhost:9000                 | loopback",
        "http://LOCALHOST.                     | loopback",
        "http://2130706433                     | loopback",
        "http://0x7f000001                     | loopback",
        "http://0x7f.1                         | loopback",
        "http://0177.0.0.1                     | loopback",
        "http://017700000001                   | loopback",
        "http://127.1                          | loopback",
        "http://[::1]                          | loopback",
        "http://[::ffff:127.0.0.1]             | loopback",
        "http://[0:0:0:0:0:ffff:7f00:1]        | loopback",
        "http://[64:ff9b::7f00:1]              | loopback",
        "http://[2002:7f00:1::]                | loopback",
        "http://rebind-to-loopback.example     | loopback",
        "http://169.254.169.254                | metadata",
        "http://0xa9fea9fe                     | metadata",
        "http://[::ffff:a9fe:a9fe]             | metadata",
        "http://metadata.example               | metadata",
        "http://[fd00:ec2::254]                | metadata",
        "https://10.0.0.1                      | RFC 1918",
        "https://172.16.5.4                    | RFC 1918",
        "https://192.168.1.1                   | RFC 1918",
        "https://012.0.0.1                     | RFC 1918",
        "https://mixed.example                 | RFC 1918",
        "http://0.0.0.0                        | unspecified",
        "http://0                              | unspecified",
        "http://[::]                           | unspecified",
        "http://224.0.0.1                      | multicast",
        "http://[ff02::1]                      | multicast",
        "http://[fe80::1]                      | link-local",
        "http://[fe80::1%25lo]/                | link-local",
        "http://[FE80::1%25eth0]:9000          | link-local",
        "http://[fe80::1%lo]                   | link-local",
        "http://[::1%25lo]:9000/               | loopback",
        "http://[::1%1]                        | loopback",
        "http://[::ffff:127.0.0.1%25lo]        | loopback",
        "http://[fd00:ec2::254%25eth0]         | metadata",
        "http://100.64.0.1                     | carrier-grade NAT",
        "http://255.255.255.255                | broadcast",
        "http://999.1.1.1                      | malformed",
      })
  void refusesEveryInternalSpelling(String url, String rule) {
    assertThatThrownBy(() -> guard.check("endpoint", url))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining(rule)
        .hasMessageContaining("REPLICATOR_ALLOWED_ENDPOINT_CIDRS")
        .satisfies(
            e ->
                assertThat(((ApiException) e).errors())
                    .extracting(err -> err.field())
                    .containsExactly("endpoint"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://[2600:1f18::1%25eth0]", "https://[2600:1f18::1%eth0]:443/"})
  void refusesAZoneIndexEvenOnAPublicAddress(String url) {
    assertThatThrownBy(() -> guard.check("endpoint", url))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("zone index");
  }

  @Test
  void connectionsToZoneQualifiedLiteralsAreRefusedInEverySpelling() {
    GuardedDnsResolver resolver = new GuardedDnsResolver(guard);
    for (String host : List.of("[fe80::1%lo]", "fe80::1%25lo", "::1%lo", "[::1%25lo]")) {
      assertThatThrownBy(() -> resolver.resolve(host))
          .as(host)
          .isInstanceOf(EndpointRefusedException.class);
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ftp://s3.example.com", "file:///etc/passwd", "gopher://s3.example.com", "s3.example.com",
        "http://user:pass@s3.example.com", "http://s3.example.com/bucket",
            "http://s3.example.com?x=1", "http://",
        "http://exa mple.com"
      })
  void refusesUrlsThatAreNotPlainHttpEndpoints(String url) {
    assertThatThrownBy(() -> guard.check("endpoint", url)).isInstanceOf(ApiException.class);
  }

  @Test
  void refusalsNeverRevealTheResolvedAddress() {
    assertThatThrownBy(() -> guard.check("endpoint", "http://minio.lan:9000"))
        .hasMessageContaining("private (RFC 1918)")
        .hasMessageNotContaining("192.168.10.5");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://s3.example.com",
        "http://s3.example.com:9000/",
        "https://v6-public.example",
        "https://52.216.1.1"
      })
  void acceptsPublicEndpoints(String url) {
    assertThat(guard.check("endpoint", url).toString()).doesNotEndWith("/");
  }

  @Test
  void anOperatorCanAllowAnInternalRange() {
    EndpointGuard lan =
        new EndpointGuard(
            List.of(Cidr.parse("192.168.10.0/24"), Cidr.parse("127.0.0.1/32")),
            EndpointGuardTest::lookup);
    assertThat(lan.check("endpoint", "http://minio.lan:9000").getHost()).isEqualTo("minio.lan");
    assertThat(lan.check("endpoint", "http://127.0.0.1:9000").getPort()).isEqualTo(9000);
    assertThat(lan.check("endpoint", "http://[::ffff:127.0.0.1]:9000").getPort()).isEqualTo(9000);
    assertThatThrownBy(() -> lan.check("endpoint", "http://192.168.11.1"))
        .isInstanceOf(ApiException.class);
    assertThatThrownBy(() -> lan.check("endpoint", "http://127.0.0.2"))
        .isInstanceOf(ApiException.class);
  }

  @Test
  void connectionsAreCheckedAgainSoARebindAfterSavingIsRefused() throws Exception {
    AtomicInteger lookups = new AtomicInteger();
    EndpointGuard rebinding =
        new EndpointGuard(
            List.of(),
            host ->
                new InetAddress[] {
                  InetAddress.getByName(lookups.getAndIncrement() == 0 ? "52.216.1.1" : "127.0.0.1")
                });
    rebinding.check("endpoint", "https://rebinder.example");

    GuardedDnsResolver resolver = new GuardedDnsResolver(rebinding);
    assertThatThrownBy(() -> resolver.resolve("rebinder.example"))
        .isInstanceOf(EndpointRefusedException.class)
        .hasMessageContaining("loopback")
        .hasMessageNotContaining("127.0.0.1");
  }

  @Test
  void aHostThatDoesNotResolveYetIsAcceptedAndRefusedAtConnectionTimeIfItLaterPointsInside()
      throws Exception {
    AtomicInteger lookups = new AtomicInteger();
    EndpointGuard later =
        new EndpointGuard(
            List.of(),
            host -> {
              if (lookups.getAndIncrement() == 0) {
                throw new UnknownHostException(host);
              }
              return new InetAddress[] {InetAddress.getByName("10.0.0.7")};
            });
    assertThat(later.check("endpoint", "https://not-yet.example").getHost())
        .isEqualTo("not-yet.example");
    assertThatThrownBy(() -> new GuardedDnsResolver(later).resolve("not-yet.example"))
        .isInstanceOf(EndpointRefusedException.class)
        .hasMessageContaining("private");
  }

  @Test
  void malformedAllowListsFailAtStartup() {
    assertThatThrownBy(() -> EndpointGuard.parseCidrs(List.of("10.0.0.0/8", " nonsense")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("REPLICATOR_ALLOWED_ENDPOINT_CIDRS");
    assertThat(EndpointGuard.parseCidrs(List.of(" 10.0.0.0/8 ", " fd00::/8 "))).hasSize(2);
  }
}
