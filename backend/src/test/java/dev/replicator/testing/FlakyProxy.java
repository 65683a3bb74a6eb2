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
 * An HTTP proxy in front of the S3 server that answers {@code 503 SlowDown} to every third request. For a PUT it
 * does so after forwarding it, so the write happened but its answer was lost: the case where a retry must not
 * create a second replica.
 */
public final class FlakyProxy implements AutoCloseable {

  private static final Set<String> HOP_HEADERS = Set.of("host", "content-length", "connection", "expect", "upgrade",
      "transfer-encoding", "keep-alive");
  private static final byte[] SLOW_DOWN = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>SlowDown</Code>"
      + "<Message>Please reduce your request rate.</Message></Error>").getBytes(StandardCharsets.UTF_8);

  private final HttpServer server;
  private final HttpClient client = HttpClient.newHttpClient();
  private final String target;
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger refused = new AtomicInteger();

  public FlakyProxy(String target) throws IOException {
    this.target = target;
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
      boolean fail = requests.incrementAndGet() % 3 == 0;
      boolean write = exchange.getRequestMethod().equals("PUT");
      if (fail && !write) {
        slowDown(exchange);
        return;
      }
      HttpResponse<InputStream> response = forward(exchange, body);
      if (fail) {
        response.body().close();
        slowDown(exchange);
        return;
      }
      response.headers().map().forEach((name, values) -> {
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

  private HttpResponse<InputStream> forward(HttpExchange exchange, byte[] body) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target + exchange.getRequestURI()))
        .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
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
