package dev.replicator.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP proxy in front of the S3 server that answers {@code 503 SlowDown} to some requests: by
 * default to every third, and for a PUT after forwarding it, so the write happened but its answer
 * was lost — the case where a retry must not create a second replica. A {@link Faults} plan chooses
 * other requests.
 */
public final class FlakyProxy implements AutoCloseable {

  /** What the proxy does with a request. */
  public enum Fault {
    /** Forward it and pass the answer on. */
    NONE,
    /** Answer SlowDown without forwarding. */
    REFUSE,
    /** Forward it, then answer SlowDown: the request took effect, its answer is lost. */
    LOSE_ANSWER
  }

  /** Decides per request, given its number (from 1), method and URI (path and query). */
  public interface Faults {
    Fault of(int number, String method, String uri);
  }

  private static final Faults EVERY_THIRD =
      (number, method, uri) ->
          number % 3 != 0 ? Fault.NONE : method.equals("PUT") ? Fault.LOSE_ANSWER : Fault.REFUSE;

  private static final Set<String> HOP_HEADERS =
      Set.of(
          "host",
          "content-length",
          "connection",
          "expect",
          "upgrade",
          "transfer-encoding",
          "keep-alive");
  private static final byte[] SLOW_DOWN =
      ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>SlowDown</Code>"
              + "<Message>Please reduce your request rate.</Message></Error>")
          .getBytes(StandardCharsets.UTF_8);

  private final HttpServer server;
  private final HttpClient client = HttpClient.newHttpClient();
  private final String target;
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger refused = new AtomicInteger();

  private final Faults faults;

  public FlakyProxy(String target) throws IOException {
    this(target, EVERY_THIRD);
  }

  public FlakyProxy(String target, Faults faults) throws IOException {
    this.target = target;
    this.faults = faults;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(Executors.newFixedThreadPool(8));
    server.start();
  }

  public String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public int refused() {
    return refused.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      Fault fault =
          faults.of(
              requests.incrementAndGet(),
              exchange.getRequestMethod(),
              exchange.getRequestURI().toString());
      if (fault == Fault.REFUSE) {
        slowDown(exchange);
        return;
      }
      HttpResponse<InputStream> response = forward(exchange, body);
      if (fault == Fault.LOSE_ANSWER) {
        response.body().close();
        slowDown(exchange);
        return;
      }
      response
          .headers()
          .map()
          .forEach(
              (name, values) -> {
                if (!HOP_HEADERS.contains(name.toLowerCase())) {
                  exchange.getResponseHeaders().put(name, List.copyOf(values));
                }
              });
      byte[] answer = response.body().readAllBytes();
      boolean empty = exchange.getRequestMethod().equals("HEAD") || answer.length == 0;
      long declared = response.headers().firstValueAsLong("content-length").orElse(answer.length);
      exchange.sendResponseHeaders(response.statusCode(), empty ? -1 : answer.length);
      if (exchange.getRequestMethod().equals("HEAD") && declared > 0) {
        exchange.getResponseHeaders().set("Content-Length", Long.toString(declared));
      }
      if (!empty) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(answer);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private HttpResponse<InputStream> forward(HttpExchange exchange, byte[] body)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(target + exchange.getRequestURI()))
            .method(
                exchange.getRequestMethod(),
                body.length == 0
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    for (Map.Entry<String, List<String>> header : exchange.getRequestHeaders().entrySet()) {
      if (!HOP_HEADERS.contains(header.getKey().toLowerCase())) {
        header.getValue().forEach(value -> request.header(header.getKey(), value));
      }
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
  }

  private void slowDown(HttpExchange exchange) throws IOException {
    refused.incrementAndGet();
    exchange.getResponseHeaders().set("Content-Type", "application/xml");
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(503, head ? -1 : SLOW_DOWN.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(SLOW_DOWN);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
