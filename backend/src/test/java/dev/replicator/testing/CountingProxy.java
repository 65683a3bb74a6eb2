package dev.replicator.testing;

import static dev.replicator.testing.HttpBodies.copy;
import static dev.replicator.testing.HttpBodies.copyChunked;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

/**
 * A TCP proxy in front of an S3 server that passes every byte through unchanged (so SigV4
 * signatures, Host header included, stay valid for servers that check them) and records each HTTP
 * request it sees: method, target and headers. Bodies stream through; nothing is buffered beyond a
 * request's header block.
 */
public final class CountingProxy implements AutoCloseable {

  /** One request as the client sent it. */
  public record Request(String method, String target, Map<String, String> headers) {

    public String path() {
      int query = target.indexOf('?');
      return query < 0 ? target : target.substring(0, query);
    }

    /** The names of the query parameters, e.g. {@code versionId} or {@code acl}. */
    public Set<String> queryNames() {
      int query = target.indexOf('?');
      if (query < 0) {
        return Set.of();
      }
      return Arrays.stream(target.substring(query + 1).split("&"))
          .map(
              parameter ->
                  parameter.contains("=")
                      ? parameter.substring(0, parameter.indexOf('='))
                      : parameter)
          .collect(Collectors.toSet());
    }

    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  private static final int MAX_HEADER_BYTES = 64 * 1024;
  private static final int END_OF_HEADERS = ('\r' << 24) | ('\n' << 16) | ('\r' << 8) | '\n';

  private final String targetHost;
  private final int targetPort;
  private final ServerSocket server;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final List<String> failures = new CopyOnWriteArrayList<>();
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final ExecutorService threads =
      Executors.newCachedThreadPool(
          task -> {
            Thread thread = new Thread(task, "counting-proxy");
            thread.setDaemon(true);
            return thread;
          });

  public CountingProxy(String target) throws IOException {
    URI uri = URI.create(target);
    this.targetHost = uri.getHost();
    this.targetPort = uri.getPort();
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    threads.submit(this::accept);
  }

  public String endpoint() {
    return "http://127.0.0.1:" + server.getLocalPort();
  }

  public List<Request> requests() {
    return List.copyOf(requests);
  }

  /** Requests the proxy could not parse; a test that counts should assert there were none. */
  public List<String> failures() {
    return List.copyOf(failures);
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket upstream = new Socket(targetHost, targetPort);
        sockets.add(client);
        sockets.add(upstream);
        threads.submit(() -> relay(client, upstream));
        threads.submit(() -> pipe(upstream, client));
      } catch (IOException e) {
        if (!server.isClosed()) {
          failures.add("accept: " + e);
        }
      }
    }
  }

  /**
   * Client to server: one request after another on a keep-alive connection, each recorded before it
   * is forwarded.
   */
  private void relay(Socket client, Socket upstream) {
    try (client;
        upstream) {
      InputStream in = client.getInputStream();
      OutputStream out = upstream.getOutputStream();
      while (true) {
        byte[] head = headerBlock(in);
        if (head == null) {
          return;
        }
        Request request = parse(new String(head, StandardCharsets.ISO_8859_1));
        requests.add(request);
        out.write(head);
        String length = request.header("content-length");
        if (length != null) {
          copy(in, out, Long.parseLong(length.trim()));
        } else if ("chunked".equalsIgnoreCase(request.header("transfer-encoding"))) {
          copyChunked(in, out);
        }
        out.flush();
      }
    } catch (IOException | RuntimeException e) {
      if (!client.isClosed() && !upstream.isClosed()) {
        failures.add("relay: " + e);
      }
    } finally {
      sockets.remove(client);
      sockets.remove(upstream);
    }
  }

  private void pipe(Socket from, Socket to) {
    try (from;
        to) {
      from.getInputStream().transferTo(to.getOutputStream());
    } catch (IOException ignored) {
      // either side closed the connection
    }
  }

  /**
   * The bytes up to and including the blank line after the headers; null at the end of the
   * connection.
   */
  private static byte[] headerBlock(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int lastFour = 0;
    while (lastFour != END_OF_HEADERS) {
      int b = in.read();
      if (b < 0) {
        if (head.size() == 0) {
          return null;
        }
        throw new IOException("connection closed inside a header block");
      }
      head.write(b);
      if (head.size() > MAX_HEADER_BYTES) {
        throw new IOException("header block too large");
      }
      lastFour = (lastFour << 8) | b;
    }
    return head.toByteArray();
  }

  private static Request parse(String head) {
    String[] lines = head.split("\r\n");
    String[] requestLine = lines[0].split(" ");
    Map<String, String> headers = new HashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(
            lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
            lines[i].substring(colon + 1).trim());
      }
    }
    return new Request(requestLine[0], requestLine[1], Map.copyOf(headers));
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket socket : sockets) {
      socket.close();
    }
    threads.shutdownNow();
  }
}
