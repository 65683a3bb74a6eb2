package dev.replicator.notification;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replicator.trust.guard.EndpointRefusedException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import javax.net.ssl.SSLHandshakeException;
import org.apache.http.HttpHost;
import org.apache.http.NoHttpResponseException;
import org.apache.http.conn.ConnectTimeoutException;
import org.apache.http.conn.HttpHostConnectException;
import org.junit.jupiter.api.Test;

class DeliveryErrorsTest {

  static final String URL = "https://hooks.example.com/replication";

  @Test
  void aRefusedConnectionNamesTheHostAsWrittenAndNoResolvedAddress() throws Exception {
    HttpHostConnectException refused =
        new HttpHostConnectException(
            new ConnectException("Connection refused"),
            new HttpHost("hooks.example.com", 443, "https"),
            InetAddress.getByAddress("hooks.example.com", new byte[] {10, 0, 0, 7}));
    assertThat(refused.getMessage()).contains("10.0.0.7");

    assertThat(DeliveryErrors.of(URL, refused))
        .isEqualTo("the connection to hooks.example.com:443 was refused.")
        .doesNotContain("10.0.0.7");
  }

  @Test
  void eachKindOfFailureIsNamedWithoutTheClientsMessage() throws Exception {
    InetAddress internal = InetAddress.getByAddress("hooks.example.com", new byte[] {10, 0, 0, 7});
    HttpHost host = new HttpHost("hooks.example.com", 8443, "https");
    String url = "https://hooks.example.com:8443/replication";
    assertThat(
            DeliveryErrors.of(
                url,
                new ConnectTimeoutException(
                    new SocketTimeoutException("10.0.0.7"), host, internal)))
        .isEqualTo("connecting to hooks.example.com:8443 timed out.");
    assertThat(DeliveryErrors.of(url, new SocketTimeoutException("Read timed out from 10.0.0.7")))
        .isEqualTo("hooks.example.com:8443 did not answer in time.");
    assertThat(
            DeliveryErrors.of(
                url, new UnknownHostException("hooks.example.com: Name or service not known")))
        .isEqualTo("the host name of hooks.example.com:8443 could not be resolved.");
    assertThat(
            DeliveryErrors.of(
                url,
                new EndpointRefusedException(
                    "hooks.example.com", "resolves to a loopback address")))
        .isEqualTo(
            "the endpoint guard refused hooks.example.com:8443: the host resolves to a loopback address.");
    assertThat(
            DeliveryErrors.of(url, new NoHttpResponseException("10.0.0.7:8443 failed to respond")))
        .isEqualTo("hooks.example.com:8443 closed the connection without answering.");
    assertThat(
            DeliveryErrors.of(
                url,
                new SSLHandshakeException(
                    "No subject alternative names matching IP address 10.0.0.7")))
        .isEqualTo("the TLS handshake with hooks.example.com:8443 failed (check its certificate).");
    assertThat(
            DeliveryErrors.of(
                "http://hooks.example.com/x", new java.io.IOException("Broken pipe to 10.0.0.7")))
        .isEqualTo("the connection to hooks.example.com:80 failed.");
  }
}
