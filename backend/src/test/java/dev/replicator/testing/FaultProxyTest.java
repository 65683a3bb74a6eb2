package dev.replicator.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.replicator.testing.FaultProxy.Fault;
import dev.replicator.testing.FaultProxy.Operation;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What each fault does to an exchange, seen from both ends, and how requests are told apart. */
class FaultProxyTest {

  private HttpServer server;
  private final List<String> received = new CopyOnWriteArrayList<>();
  private final byte[] large = new byte[200_000];
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeEach
  void start() throws IOException {
    Arrays.fill(large, (byte) 'x');
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          byte[] body = exchange.getRequestBody().readAllBytes();
          received.add(
              exchange.getRequestMethod() + " " + exchange.getRequestURI() + " " + body.length);
          byte[] answer = exchange.getRequestMethod().equals("GET") ? large : "<ok/>".getBytes();
          exchange.sendResponseHeaders(200, answer.length);
          exchange.getResponseBody().write(answer);
          exchange.close();
        });
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private FaultProxy proxy(FaultProxy.Plan plan) throws IOException {
    return new FaultProxy("test", "http://127.0.0.1:" + server.getAddress().getPort(), plan);
  }

  private HttpResponse<byte[]> put(FaultProxy proxy, String target, int size) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(proxy.endpoint() + target))
            .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[size]))
            .build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private HttpResponse<byte[]> get(FaultProxy proxy, String target) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(proxy.endpoint() + target)).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void passesExchangesThroughUnchangedWithoutAPlannedFault() throws Exception {
    try (FaultProxy proxy = proxy(FaultProxy.Plan.seeded(1))) {
      assertThat(get(proxy, "/bucket/key").body()).isEqualTo(large);
      assertThat(put(proxy, "/bucket/key", 1000).statusCode()).isEqualTo(200);
      assertThat(get(proxy, "/bucket/key?tagging").statusCode()).isEqualTo(200);
      assertThat(received)
          .containsExactly(
              "GET /bucket/key 0", "PUT /bucket/key 1000", "GET /bucket/key?tagging 0");
      assertThat(proxy.requests())
          .containsEntry(Operation.GET_OBJECT, 1)
          .containsEntry(Operation.PUT_OBJECT, 1)
          .containsEntry(Operation.GET_OBJECT_TAGGING, 1);
      assertThat(proxy.faultCounts()).isEmpty();
    }
  }

  @Test
  void aLostAnswerMeansTheServerDidTheWriteAndTheClientHeardNothing() throws Exception {
    try (FaultProxy proxy =
        proxy(
            FaultProxy.Plan.seeded(1)
                .at(Operation.COMPLETE_MULTIPART_UPLOAD, 0, Fault.LOST_ANSWER))) {
      assertThatThrownBy(
              () ->
                  http.send(
                      HttpRequest.newBuilder(URI.create(proxy.endpoint() + "/b/k?uploadId=u1"))
                          .POST(HttpRequest.BodyPublishers.ofString("<CompleteMultipartUpload/>"))
                          .build(),
                      HttpResponse.BodyHandlers.ofString()))
          .isInstanceOf(IOException.class);
      assertThat(received).containsExactly("POST /b/k?uploadId=u1 26");
      assertThat(proxy.count(Operation.COMPLETE_MULTIPART_UPLOAD, Fault.LOST_ANSWER)).isEqualTo(1);
      assertThat(proxy.injections().get(0).upstreamStatus()).isEqualTo(200);
      // The next exchange passes.
      assertThat(
              http.send(
                      HttpRequest.newBuilder(URI.create(proxy.endpoint() + "/b/k?uploadId=u1"))
                          .POST(HttpRequest.BodyPublishers.ofString("<CompleteMultipartUpload/>"))
                          .build(),
                      HttpResponse.BodyHandlers.ofString())
                  .statusCode())
          .isEqualTo(200);
    }
  }

  @Test
  void aResetBeforeForwardingReachesNothingAndASlowDownIsAnsweredByTheProxy() throws Exception {
    try (FaultProxy proxy =
        proxy(
            FaultProxy.Plan.seeded(1)
                .at(Operation.PUT_OBJECT, 0, Fault.RESET_BEFORE_FORWARD)
                .at(Operation.PUT_OBJECT, 1, Fault.SLOW_DOWN))) {
      assertThatThrownBy(() -> put(proxy, "/b/k", 100)).isInstanceOf(IOException.class);
      HttpResponse<byte[]> slowDown = put(proxy, "/b/k", 100);
      assertThat(slowDown.statusCode()).isEqualTo(503);
      assertThat(new String(slowDown.body())).contains("<Code>SlowDown</Code>");
      assertThat(received).isEmpty();
      assertThat(put(proxy, "/b/k", 100).statusCode()).isEqualTo(200);
      assertThat(received).hasSize(1);
    }
  }

  @Test
  void aResetInTheRequestBodyTearsTheRequestAndACutAnswerTearsTheResponse() throws Exception {
    try (FaultProxy proxy =
        proxy(
            FaultProxy.Plan.seeded(1)
                .at(Operation.UPLOAD_PART, 0, Fault.RESET_MID_REQUEST_BODY)
                .at(Operation.GET_OBJECT, 0, Fault.CUT_ANSWER))) {
      assertThatThrownBy(() -> put(proxy, "/b/k?partNumber=1&uploadId=u", 100_000))
          .isInstanceOf(IOException.class);
      assertThatThrownBy(() -> get(proxy, "/b/k")).isInstanceOf(IOException.class);
      assertThat(received)
          .as("the torn upload never completes at the server")
          .containsExactly("GET /b/k 0");
      assertThat(proxy.faultCounts())
          .containsEntry(Fault.RESET_MID_REQUEST_BODY, 1)
          .containsEntry(Fault.CUT_ANSWER, 1);
    }
  }

  @Test
  void aFaultAimedAtOnePathCountsOnlyThatPathsExchangesAndKeepsRandomFaultsOffIt()
      throws Exception {
    try (FaultProxy proxy =
        proxy(
            FaultProxy.Plan.seeded(7)
                .rate(1.0)
                .at(Operation.DELETE_OBJECT, "/b/aimed", 1, Fault.SLOW_DOWN))) {
      HttpRequest.Builder aimed =
          HttpRequest.newBuilder(URI.create(proxy.endpoint() + "/b/aimed")).DELETE();
      assertThat(http.send(aimed.build(), HttpResponse.BodyHandlers.ofString()).statusCode())
          .isEqualTo(200);
      assertThat(http.send(aimed.build(), HttpResponse.BodyHandlers.ofString()).statusCode())
          .isEqualTo(503);
      assertThat(http.send(aimed.build(), HttpResponse.BodyHandlers.ofString()).statusCode())
          .isEqualTo(200);
      assertThat(received).hasSize(2);
      assertThat(proxy.injections())
          .singleElement()
          .satisfies(i -> assertThat(i.fault()).isEqualTo(Fault.SLOW_DOWN));
    }
  }

  /**
   * Ceph RGW sends no 100 Continue to PutObjectTagging: the body must still get through once the
   * client sends it.
   */
  @Test
  void aServerThatNeverSends100ContinueStillGetsTheBody() throws Exception {
    try (java.net.ServerSocket upstream =
        new java.net.ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress())) {
      Thread server =
          new Thread(
              () -> {
                try (java.net.Socket socket = upstream.accept()) {
                  var in = socket.getInputStream();
                  StringBuilder head = new StringBuilder();
                  while (!head.toString().endsWith("\r\n\r\n")) {
                    head.append((char) in.read());
                  }
                  byte[] body = in.readNBytes(5);
                  received.add(new String(body));
                  socket
                      .getOutputStream()
                      .write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes());
                  socket.getOutputStream().flush();
                } catch (IOException ignored) {
                  // the test fails on what the client saw
                }
              });
      server.setDaemon(true);
      server.start();
      try (FaultProxy proxy =
              new FaultProxy(
                  "test",
                  "http://127.0.0.1:" + upstream.getLocalPort(),
                  FaultProxy.Plan.seeded(1));
          java.net.Socket client =
              new java.net.Socket(
                  "127.0.0.1", Integer.parseInt(proxy.endpoint().replaceAll(".*:", "")))) {
        client.setSoTimeout(20_000);
        var out = client.getOutputStream();
        out.write(
            "PUT /b/k?tagging HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n"
                .getBytes());
        out.flush();
        Thread.sleep(300);
        out.write("<Tag>".getBytes());
        out.flush();
        String answer = new String(client.getInputStream().readNBytes(40));
        assertThat(answer).startsWith("HTTP/1.1 200 OK").endsWith("ok");
        assertThat(received).containsExactly("<Tag>");
      }
    }
  }

  @Test
  void theRandomPlanIsAFunctionOfTheSeedAtTheConfiguredRate() {
    FaultProxy.Plan plan = FaultProxy.Plan.seeded(42).rate(0.1);
    List<Fault> first = new ArrayList<>();
    List<Fault> again = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      first.add(plan.decide(Operation.PUT_OBJECT, i, true));
      again.add(FaultProxy.Plan.seeded(42).rate(0.1).decide(Operation.PUT_OBJECT, i, true));
    }
    assertThat(first).isEqualTo(again);
    long faults = first.stream().filter(f -> f != null).count();
    assertThat(faults).isBetween(800L, 1200L);
    assertThat(first.stream().filter(f -> f != null).distinct())
        .containsExactlyInAnyOrder(Fault.values());
    assertThat(FaultProxy.Plan.seeded(42).rate(0.1).decide(Operation.GET_OBJECT, 0, false))
        .isNotEqualTo(Fault.RESET_MID_REQUEST_BODY);
  }

  @Test
  void tellsS3OperationsApart() {
    Map<String, Operation> cases = new java.util.LinkedHashMap<>();
    cases.put("PUT /b/k", Operation.PUT_OBJECT);
    cases.put("POST /b/k?uploads", Operation.CREATE_MULTIPART_UPLOAD);
    cases.put("PUT /b/k?partNumber=2&uploadId=abc", Operation.UPLOAD_PART);
    cases.put("POST /b/k?uploadId=abc", Operation.COMPLETE_MULTIPART_UPLOAD);
    cases.put("DELETE /b/k?uploadId=abc", Operation.ABORT_MULTIPART_UPLOAD);
    cases.put("GET /b/k?uploadId=abc", Operation.LIST_PARTS);
    cases.put("GET /b?uploads", Operation.LIST_MULTIPART_UPLOADS);
    cases.put("GET /b/k?versionId=v", Operation.GET_OBJECT);
    cases.put("HEAD /b/k?versionId=v", Operation.HEAD_OBJECT);
    cases.put("GET /b?versions&prefix=k", Operation.LIST_OBJECT_VERSIONS);
    cases.put("GET /b?list-type=2", Operation.LIST_OBJECTS);
    cases.put("DELETE /b/k", Operation.DELETE_OBJECT);
    cases.put("POST /b?delete", Operation.DELETE_OBJECTS);
    cases.put("GET /b/k?tagging&versionId=v", Operation.GET_OBJECT_TAGGING);
    cases.put("PUT /b/k?tagging", Operation.PUT_OBJECT_TAGGING);
    cases.put("GET /b/k?acl", Operation.GET_OBJECT_ACL);
    cases.put("PUT /b/k?acl&versionId=v", Operation.PUT_OBJECT_ACL);
    cases.put("PUT /b/k?retention", Operation.PUT_OBJECT_RETENTION);
    cases.put("GET /b/k?legal-hold", Operation.GET_OBJECT_LEGAL_HOLD);
    cases.put("GET /b?versioning", Operation.GET_BUCKET_VERSIONING);
    cases.put("GET /b?object-lock", Operation.GET_OBJECT_LOCK_CONFIGURATION);
    cases.put("HEAD /b", Operation.HEAD_BUCKET);
    cases.forEach(
        (request, expected) -> {
          String[] parts = request.split(" ");
          assertThat(FaultProxy.classify(parts[0], parts[1], Map.of()))
              .as(request)
              .isEqualTo(expected);
        });
    assertThat(FaultProxy.classify("PUT", "/b/k", Map.of("x-amz-copy-source", "/a/k")))
        .isEqualTo(Operation.COPY_OBJECT);
    assertThat(
            FaultProxy.classify(
                "PUT", "/b/k?partNumber=1&uploadId=u", Map.of("x-amz-copy-source", "/a/k")))
        .isEqualTo(Operation.UPLOAD_PART_COPY);
  }
}
