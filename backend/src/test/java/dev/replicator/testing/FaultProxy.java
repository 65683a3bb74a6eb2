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
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiPredicate;
import java.util.stream.Collectors;

/**
 * A TCP proxy in front of an S3 server that passes bytes through unchanged (so SigV4 signatures,
 * Host header included, stay valid) but reads each exchange far enough to know which S3 operation
 * it is, and injects faults into some of them by a seeded random plan: a connection reset before
 * the request is forwarded, a reset in the middle of the request body, a <em>lost answer</em> (the
 * request is forwarded and fully answered by the server — the write happened — and the connection
 * is reset before the client sees a byte of the answer), an answer cut in the middle, or a {@code
 * 503 SlowDown} in S3's XML error shape without forwarding anything.
 *
 * <p>Whether the k-th request of an operation gets a fault, and which, is a function of the seed,
 * the operation and k alone, so a run is reproducible up to the interleaving of concurrent clients.
 * {@link Plan#at} adds faults that always happen, e.g. a lost answer to the first
 * CompleteMultipartUpload. Path-style requests only ( {@code /bucket/key?query}), one exchange at a
 * time per connection (the AWS SDK does not pipeline); {@code Expect: 100-continue} is honoured.
 */
public final class FaultProxy implements AutoCloseable {

  /**
   * The S3 operations the proxy tells apart, by method, path shape, query parameters and copy
   * header.
   */
  public enum Operation {
    PUT_OBJECT("PutObject"),
    COPY_OBJECT("CopyObject"),
    CREATE_MULTIPART_UPLOAD("CreateMultipartUpload"),
    UPLOAD_PART("UploadPart"),
    UPLOAD_PART_COPY("UploadPartCopy"),
    COMPLETE_MULTIPART_UPLOAD("CompleteMultipartUpload"),
    ABORT_MULTIPART_UPLOAD("AbortMultipartUpload"),
    LIST_PARTS("ListParts"),
    LIST_MULTIPART_UPLOADS("ListMultipartUploads"),
    GET_OBJECT("GetObject"),
    HEAD_OBJECT("HeadObject"),
    DELETE_OBJECT("DeleteObject"),
    DELETE_OBJECTS("DeleteObjects"),
    GET_OBJECT_TAGGING("GetObjectTagging"),
    PUT_OBJECT_TAGGING("PutObjectTagging"),
    DELETE_OBJECT_TAGGING("DeleteObjectTagging"),
    GET_OBJECT_ACL("GetObjectAcl"),
    PUT_OBJECT_ACL("PutObjectAcl"),
    GET_OBJECT_RETENTION("GetObjectRetention"),
    PUT_OBJECT_RETENTION("PutObjectRetention"),
    GET_OBJECT_LEGAL_HOLD("GetObjectLegalHold"),
    PUT_OBJECT_LEGAL_HOLD("PutObjectLegalHold"),
    LIST_OBJECT_VERSIONS("ListObjectVersions"),
    LIST_OBJECTS("ListObjects"),
    GET_BUCKET_VERSIONING("GetBucketVersioning"),
    GET_OBJECT_LOCK_CONFIGURATION("GetObjectLockConfiguration"),
    HEAD_BUCKET("HeadBucket"),
    OTHER_BUCKET_CALL("OtherBucketCall"),
    OTHER("Other");

    private final String awsName;

    Operation(String awsName) {
      this.awsName = awsName;
    }

    /** The operation's name in the S3 API, e.g. {@code CompleteMultipartUpload}. */
    public String awsName() {
      return awsName;
    }

    /** Operations that change what the store holds. */
    public static final Set<Operation> WRITES =
        EnumSet.of(
            PUT_OBJECT,
            COPY_OBJECT,
            CREATE_MULTIPART_UPLOAD,
            UPLOAD_PART,
            UPLOAD_PART_COPY,
            COMPLETE_MULTIPART_UPLOAD,
            ABORT_MULTIPART_UPLOAD,
            DELETE_OBJECT,
            DELETE_OBJECTS,
            PUT_OBJECT_TAGGING,
            DELETE_OBJECT_TAGGING,
            PUT_OBJECT_ACL,
            PUT_OBJECT_RETENTION,
            PUT_OBJECT_LEGAL_HOLD);
  }

  /** What the proxy does to an exchange instead of passing it through. */
  public enum Fault {
    /**
     * The connection is reset as soon as the request's head has arrived; nothing reaches the
     * server.
     */
    RESET_BEFORE_FORWARD,
    /**
     * The head and half of the body are forwarded, then both connections are reset; the server gets
     * a torn request.
     */
    RESET_MID_REQUEST_BODY,
    /**
     * The request is forwarded and answered in full by the server, then the client's connection is
     * reset: the write happened.
     */
    LOST_ANSWER,
    /**
     * The server's whole answer is read, half of it (head included) is passed on, then the
     * connection is reset.
     */
    CUT_ANSWER,
    /** {@code 503 SlowDown} in S3's XML error shape, without forwarding the request. */
    SLOW_DOWN
  }

  /** Which exchanges get which fault. Immutable; the builder methods return changed copies. */
  public static final class Plan {
    private final long seed;
    private final double rate;
    private final Set<Operation> operations;
    private final Set<Fault> faults;
    private final Map<Operation, Map<Integer, Fault>> scheduled;
    private final List<Targeted> targeted;

    /**
     * A fault for the {@code occurrence}-th exchange of {@code operation} on one path ({@code
     * /bucket/key}).
     */
    record Targeted(Operation operation, String path, int occurrence, Fault fault) {
      @Override
      public String toString() {
        return operation.awsName() + " #" + occurrence + " of " + path + "=" + fault;
      }
    }

    private Plan(
        long seed,
        double rate,
        Set<Operation> operations,
        Set<Fault> faults,
        Map<Operation, Map<Integer, Fault>> scheduled,
        List<Targeted> targeted) {
      this.seed = seed;
      this.rate = rate;
      this.operations = operations;
      this.faults = faults;
      this.scheduled = scheduled;
      this.targeted = targeted;
    }

    /** No random faults yet (rate 0), every operation and fault eligible once a rate is set. */
    public static Plan seeded(long seed) {
      return new Plan(
          seed, 0, EnumSet.allOf(Operation.class), EnumSet.allOf(Fault.class), Map.of(), List.of());
    }

    /** The share of eligible exchanges that get a random fault, e.g. 0.1. */
    public Plan rate(double rate) {
      return new Plan(seed, rate, operations, faults, scheduled, targeted);
    }

    /** Only these operations get random faults. */
    public Plan operations(Set<Operation> eligible) {
      return new Plan(seed, rate, EnumSet.copyOf(eligible), faults, scheduled, targeted);
    }

    /** Random faults are drawn from these. */
    public Plan faults(Set<Fault> eligible) {
      return new Plan(seed, rate, operations, EnumSet.copyOf(eligible), scheduled, targeted);
    }

    /**
     * The {@code occurrence}-th (from 0) exchange of {@code operation} always gets {@code fault}.
     */
    public Plan at(Operation operation, int occurrence, Fault fault) {
      Map<Operation, Map<Integer, Fault>> copy = new EnumMap<>(Operation.class);
      scheduled.forEach((op, byOccurrence) -> copy.put(op, new HashMap<>(byOccurrence)));
      copy.computeIfAbsent(operation, op -> new HashMap<>()).put(occurrence, fault);
      return new Plan(seed, rate, operations, faults, copy, targeted);
    }

    /**
     * The {@code occurrence}-th (from 0) exchange of {@code operation} whose path (without the
     * query) is {@code path}, e.g. {@code /bucket/some/key}, always gets {@code fault}: for a
     * scenario aimed at one key.
     */
    public Plan at(Operation operation, String path, int occurrence, Fault fault) {
      List<Targeted> copy = new ArrayList<>(targeted);
      copy.add(new Targeted(operation, path, occurrence, fault));
      return new Plan(seed, rate, operations, faults, scheduled, List.copyOf(copy));
    }

    List<Targeted> targeted() {
      return targeted;
    }

    public long seed() {
      return seed;
    }

    public double rate() {
      return rate;
    }

    /** The fault of the {@code occurrence}-th exchange of {@code operation}, or null for none. */
    Fault decide(Operation operation, int occurrence, boolean requestHasBody) {
      Fault fixed = scheduled.getOrDefault(operation, Map.of()).get(occurrence);
      if (fixed != null) {
        return fixed == Fault.RESET_MID_REQUEST_BODY && !requestHasBody
            ? Fault.RESET_BEFORE_FORWARD
            : fixed;
      }
      if (rate <= 0 || !operations.contains(operation)) {
        return null;
      }
      SplittableRandom random =
          new SplittableRandom(
              seed ^ (0x9E3779B97F4A7C15L * (operation.ordinal() + 1)) ^ ((long) occurrence << 20));
      if (random.nextDouble() >= rate) {
        return null;
      }
      List<Fault> candidates =
          faults.stream().filter(f -> f != Fault.RESET_MID_REQUEST_BODY || requestHasBody).toList();
      return candidates.isEmpty() ? null : candidates.get(random.nextInt(candidates.size()));
    }

    @Override
    public String toString() {
      return "seed "
          + seed
          + ", rate "
          + rate
          + (scheduled.isEmpty() ? "" : ", always " + scheduled)
          + (targeted.isEmpty() ? "" : ", aimed " + targeted);
    }
  }

  /**
   * One injected fault, for failure reports: which exchange got it and what the server said (for
   * forwarded ones).
   */
  public record Injection(
      Fault fault, Operation operation, String method, String target, int upstreamStatus) {
    @Override
    public String toString() {
      return fault
          + " "
          + operation.awsName()
          + " "
          + method
          + " "
          + target
          + (upstreamStatus > 0 ? " (server answered " + upstreamStatus + ")" : "");
    }
  }

  /**
   * One exchange as the proxy handled it: the server's status (0 when it was not forwarded or not
   * answered) and the fault injected, if any.
   */
  public record Exchange(
      Operation operation,
      String method,
      String target,
      int status,
      Fault fault,
      java.time.Instant started,
      java.time.Instant ended) {
    /** The target without its query, e.g. {@code /bucket/some/key}. */
    public String path() {
      return pathOf(target);
    }

    @Override
    public String toString() {
      return started
          + ".."
          + ended.toString().substring(11)
          + " "
          + operation.awsName()
          + " "
          + method
          + " "
          + target
          + " -> "
          + (status > 0 ? Integer.toString(status) : "-")
          + (fault == null ? "" : " [" + fault + "]");
    }
  }

  private static final int MAX_HEADER_BYTES = 64 * 1024;
  private static final int MAX_EXCHANGES = 200_000;
  private static final byte[] SLOW_DOWN_BODY =
      ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>SlowDown</Code>"
              + "<Message>Please reduce your request rate.</Message><RequestId>fault-proxy</RequestId></Error>")
          .getBytes(StandardCharsets.UTF_8);

  private final String name;
  private final String targetHost;
  private final int targetPort;
  private final ServerSocket server;
  private volatile Plan plan;
  private volatile boolean enabled = true;
  private volatile BiPredicate<Operation, String> holding = (operation, path) -> false;
  private volatile CountDownLatch released = new CountDownLatch(0);
  private final AtomicInteger held = new AtomicInteger();
  private final Map<Operation, AtomicInteger> seen = new ConcurrentHashMap<>();
  private final Map<Plan.Targeted, AtomicInteger> seenOnPath = new ConcurrentHashMap<>();
  private final Map<Operation, Map<Fault, AtomicInteger>> injected = new ConcurrentHashMap<>();
  private final List<Injection> injections = new CopyOnWriteArrayList<>();
  private final java.util.Queue<Exchange> exchanges =
      new java.util.concurrent.ConcurrentLinkedQueue<>();
  private final List<String> failures = new CopyOnWriteArrayList<>();
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final ExecutorService threads =
      Executors.newCachedThreadPool(
          task -> {
            Thread thread = new Thread(task, "fault-proxy");
            thread.setDaemon(true);
            return thread;
          });

  /**
   * A proxy named {@code name} (in reports) in front of {@code target} ({@code http://host:port}).
   */
  public FaultProxy(String name, String target, Plan plan) throws IOException {
    URI uri = URI.create(target);
    this.name = name;
    this.targetHost = uri.getHost();
    this.targetPort = uri.getPort();
    this.plan = plan;
    this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
    threads.submit(this::accept);
  }

  public String endpoint() {
    return "http://127.0.0.1:" + server.getLocalPort();
  }

  public Plan plan() {
    return plan;
  }

  /**
   * Switches fault injection on or off; exchanges pass through untouched while it is off (and are
   * not counted).
   */
  public void enabled(boolean on) {
    this.enabled = on;
  }

  /**
   * Holds back, before forwarding, every exchange of an operation on a path ({@code /bucket/key},
   * no query) that {@code which} accepts, until {@link #release()}: work that reads through the
   * proxy is then caught where the test wants, for as long as it needs.
   */
  public void hold(BiPredicate<Operation, String> which) {
    released = new CountDownLatch(1);
    holding = which;
  }

  /** Passes the exchanges held back on, and holds no more. */
  public void release() {
    holding = (operation, path) -> false;
    released.countDown();
  }

  /** How many exchanges are being held back now. */
  public int held() {
    return held.get();
  }

  /** Exchanges seen per operation. */
  public Map<Operation, Integer> requests() {
    Map<Operation, Integer> counts = new TreeMap<>();
    seen.forEach((op, count) -> counts.put(op, count.get()));
    return counts;
  }

  /** How often each fault was injected, in all. */
  public Map<Fault, Integer> faultCounts() {
    Map<Fault, Integer> counts = new EnumMap<>(Fault.class);
    injected
        .values()
        .forEach(
            byFault ->
                byFault.forEach((fault, count) -> counts.merge(fault, count.get(), Integer::sum)));
    return counts;
  }

  /** How often {@code fault} was injected into {@code operation}. */
  public int count(Operation operation, Fault fault) {
    AtomicInteger count = injected.getOrDefault(operation, Map.of()).get(fault);
    return count == null ? 0 : count.get();
  }

  public List<Injection> injections() {
    return List.copyOf(injections);
  }

  /** The exchanges seen while faults were enabled, in the order they ended (up to 200,000). */
  public List<Exchange> exchanges() {
    return List.copyOf(exchanges);
  }

  private void log(
      Operation operation, Head request, int status, Fault fault, java.time.Instant started) {
    if (exchanges.size() < MAX_EXCHANGES) {
      exchanges.add(
          new Exchange(
              operation,
              request.method(),
              request.target(),
              status,
              fault,
              started,
              java.time.Instant.now()));
    }
  }

  /**
   * Exchanges the proxy could not follow (unparsable, or broken by something other than its own
   * faults).
   */
  public List<String> failures() {
    return List.copyOf(failures);
  }

  /** The seed, the plan and the faults injected per operation, e.g. for a failure message. */
  public String report() {
    StringBuilder out = new StringBuilder(name).append(" proxy (").append(plan).append("): ");
    Map<Fault, Integer> totals = faultCounts();
    out.append(totals.values().stream().mapToInt(Integer::intValue).sum())
        .append(" faults in ")
        .append(seen.values().stream().mapToInt(AtomicInteger::get).sum())
        .append(" requests ")
        .append(totals);
    new TreeMap<>(injected)
        .forEach(
            (op, byFault) -> {
              Map<Fault, Integer> counts = new EnumMap<>(Fault.class);
              byFault.forEach((fault, count) -> counts.put(fault, count.get()));
              out.append("\n  ")
                  .append(op.awsName())
                  .append(": ")
                  .append(counts)
                  .append(" of ")
                  .append(seen.get(op))
                  .append(" requests");
            });
    return out.toString();
  }

  /** Which S3 operation a path-style request is. */
  public static Operation classify(String method, String target, Map<String, String> headers) {
    int q = target.indexOf('?');
    String path = q < 0 ? target : target.substring(0, q);
    Set<String> query =
        q < 0
            ? Set.of()
            : Arrays.stream(target.substring(q + 1).split("&"))
                .map(p -> p.contains("=") ? p.substring(0, p.indexOf('=')) : p)
                .collect(Collectors.toSet());
    String trimmed = path.startsWith("/") ? path.substring(1) : path;
    int slash = trimmed.indexOf('/');
    boolean objectLevel = slash >= 0 && slash < trimmed.length() - 1;
    boolean copy = headers.containsKey("x-amz-copy-source");
    if (!objectLevel) {
      return switch (method) {
        case "GET" ->
            query.contains("versions")
                ? Operation.LIST_OBJECT_VERSIONS
                : query.contains("uploads")
                    ? Operation.LIST_MULTIPART_UPLOADS
                    : query.contains("versioning")
                        ? Operation.GET_BUCKET_VERSIONING
                        : query.contains("object-lock")
                            ? Operation.GET_OBJECT_LOCK_CONFIGURATION
                            : query.isEmpty()
                                    || query.contains("list-type")
                                    || query.contains("prefix")
                                ? Operation.LIST_OBJECTS
                                : Operation.OTHER_BUCKET_CALL;
        case "HEAD" -> Operation.HEAD_BUCKET;
        case "POST" ->
            query.contains("delete") ? Operation.DELETE_OBJECTS : Operation.OTHER_BUCKET_CALL;
        default -> Operation.OTHER_BUCKET_CALL;
      };
    }
    return switch (method) {
      case "PUT" ->
          query.contains("partNumber") && query.contains("uploadId")
              ? (copy ? Operation.UPLOAD_PART_COPY : Operation.UPLOAD_PART)
              : query.contains("tagging")
                  ? Operation.PUT_OBJECT_TAGGING
                  : query.contains("acl")
                      ? Operation.PUT_OBJECT_ACL
                      : query.contains("retention")
                          ? Operation.PUT_OBJECT_RETENTION
                          : query.contains("legal-hold")
                              ? Operation.PUT_OBJECT_LEGAL_HOLD
                              : copy ? Operation.COPY_OBJECT : Operation.PUT_OBJECT;
      case "POST" ->
          query.contains("uploads")
              ? Operation.CREATE_MULTIPART_UPLOAD
              : query.contains("uploadId") ? Operation.COMPLETE_MULTIPART_UPLOAD : Operation.OTHER;
      case "DELETE" ->
          query.contains("uploadId")
              ? Operation.ABORT_MULTIPART_UPLOAD
              : query.contains("tagging")
                  ? Operation.DELETE_OBJECT_TAGGING
                  : Operation.DELETE_OBJECT;
      case "GET" ->
          query.contains("uploadId")
              ? Operation.LIST_PARTS
              : query.contains("tagging")
                  ? Operation.GET_OBJECT_TAGGING
                  : query.contains("acl")
                      ? Operation.GET_OBJECT_ACL
                      : query.contains("retention")
                          ? Operation.GET_OBJECT_RETENTION
                          : query.contains("legal-hold")
                              ? Operation.GET_OBJECT_LEGAL_HOLD
                              : Operation.GET_OBJECT;
      case "HEAD" -> Operation.HEAD_OBJECT;
      default -> Operation.OTHER;
    };
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        sockets.add(client);
        threads.submit(() -> serve(client));
      } catch (IOException e) {
        if (!server.isClosed()) {
          failures.add("accept: " + e);
        }
      }
    }
  }

  /** A message head: the start line and headers, with the exact bytes they came in. */
  private record Head(byte[] bytes, String startLine, Map<String, String> headers) {
    String header(String name) {
      return headers.get(name);
    }

    String method() {
      return startLine.split(" ", 3)[0];
    }

    String target() {
      return startLine.split(" ", 3)[1];
    }

    int status() {
      return Integer.parseInt(startLine.split(" ", 3)[1]);
    }

    boolean chunked() {
      String encoding = header("transfer-encoding");
      return encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked");
    }

    long contentLength() {
      String length = header("content-length");
      return length == null ? -1 : Long.parseLong(length.trim());
    }

    boolean closes() {
      String connection = header("connection");
      return (connection != null && connection.toLowerCase(Locale.ROOT).contains("close"))
          || startLine.endsWith("HTTP/1.0");
    }
  }

  private static String pathOf(String target) {
    int query = target.indexOf('?');
    return query < 0 ? target : target.substring(0, query);
  }

  private void holdBack() throws Ended {
    CountDownLatch until = released;
    held.incrementAndGet();
    try {
      until.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Ended();
    } finally {
      held.decrementAndGet();
    }
  }

  /** Thrown inside an exchange that the proxy itself ends with a reset. */
  private static final class Ended extends Exception {
    Ended() {
      super(null, null, false, false);
    }
  }

  private void serve(Socket client) {
    Socket upstream = null;
    try {
      client.setTcpNoDelay(true);
      InputStream fromClient = client.getInputStream();
      OutputStream toClient = client.getOutputStream();
      while (true) {
        Head request = readHead(fromClient);
        if (request == null) {
          return;
        }
        java.time.Instant started = java.time.Instant.now();
        Operation operation = classify(request.method(), request.target(), request.headers());
        boolean hasBody = request.contentLength() > 0 || request.chunked();
        Fault fault = null;
        if (enabled) {
          int occurrence =
              seen.computeIfAbsent(operation, op -> new AtomicInteger()).getAndIncrement();
          fault = plan.decide(operation, occurrence, hasBody);
          String path = pathOf(request.target());
          boolean aimedAt = false;
          Fault aimedFault = null;
          for (Plan.Targeted aimed : plan.targeted()) {
            if (aimed.operation() == operation && aimed.path().equals(path)) {
              aimedAt = true;
              if (seenOnPath.computeIfAbsent(aimed, a -> new AtomicInteger()).getAndIncrement()
                  == aimed.occurrence()) {
                aimedFault =
                    aimed.fault() == Fault.RESET_MID_REQUEST_BODY && !hasBody
                        ? Fault.RESET_BEFORE_FORWARD
                        : aimed.fault();
              }
            }
          }
          if (aimedAt) {
            // A path with aimed faults gets only those (for this operation), so that their
            // occurrences stay countable.
            fault = aimedFault;
          }
        }
        if (holding.test(operation, pathOf(request.target()))) {
          holdBack();
        }
        boolean expectContinue = "100-continue".equalsIgnoreCase(request.header("expect"));

        if (fault == Fault.RESET_BEFORE_FORWARD) {
          record(fault, operation, request, 0);
          log(operation, request, 0, fault, started);
          throw new Ended();
        }
        if (fault == Fault.SLOW_DOWN) {
          record(fault, operation, request, 0);
          log(operation, request, 0, fault, started);
          if (!expectContinue) {
            readBody(fromClient, request, null);
          }
          slowDown(toClient, request, expectContinue);
          if (expectContinue || request.closes()) {
            return;
          }
          continue;
        }
        if (upstream == null || upstream.isClosed()) {
          upstream = new Socket(targetHost, targetPort);
          upstream.setTcpNoDelay(true);
          upstream.setSoTimeout(180_000);
          sockets.add(upstream);
        }
        InputStream fromServer = upstream.getInputStream();
        OutputStream toServer = upstream.getOutputStream();
        toServer.write(request.bytes());
        toServer.flush();
        if (expectContinue && hasBody && serverAnswersFirst(fromServer, fromClient)) {
          Head interim = readHead(fromServer);
          if (interim == null) {
            throw new IOException(
                "the server closed the connection instead of answering Expect: 100-continue");
          }
          if (interim.status() != 100) {
            // A final answer before the body: pass it on, and end the connection (the client will
            // not send the body).
            log(operation, request, interim.status(), null, started);
            toClient.write(interim.bytes());
            relayBody(fromServer, toClient, request, interim);
            toClient.flush();
            return;
          }
          toClient.write(interim.bytes());
          toClient.flush();
        }
        if (fault == Fault.RESET_MID_REQUEST_BODY) {
          record(fault, operation, request, 0);
          log(operation, request, 0, fault, started);
          forwardHalfBody(fromClient, toServer, request);
          reset(upstream);
          throw new Ended();
        }
        readBody(fromClient, request, toServer);
        toServer.flush();
        Head response = readHead(fromServer);
        while (response != null && response.status() / 100 == 1) {
          toClient.write(response.bytes());
          response = readHead(fromServer);
        }
        if (response == null) {
          throw new IOException(
              "the server closed the connection without answering " + request.startLine());
        }
        if (fault == Fault.LOST_ANSWER || fault == Fault.CUT_ANSWER) {
          ByteArrayOutputStream whole = new ByteArrayOutputStream();
          whole.write(response.bytes());
          relayBody(fromServer, whole, request, response);
          record(fault, operation, request, response.status());
          log(operation, request, response.status(), fault, started);
          if (fault == Fault.CUT_ANSWER) {
            byte[] bytes = whole.toByteArray();
            toClient.write(bytes, 0, Math.max(1, bytes.length / 2));
            toClient.flush();
          }
          reset(upstream);
          throw new Ended();
        }
        toClient.write(response.bytes());
        boolean untilClose = relayBody(fromServer, toClient, request, response);
        toClient.flush();
        if (enabled) {
          log(operation, request, response.status(), null, started);
        }
        if (untilClose || response.closes() || request.closes()) {
          return;
        }
      }
    } catch (Ended e) {
      reset(client);
    } catch (IOException | RuntimeException e) {
      if (!server.isClosed() && !(e instanceof SocketException)) {
        failures.add(e.toString());
      }
    } finally {
      close(client);
      if (upstream != null) {
        close(upstream);
      }
    }
  }

  private void record(Fault fault, Operation operation, Head request, int upstreamStatus) {
    injected
        .computeIfAbsent(operation, op -> new ConcurrentHashMap<>())
        .computeIfAbsent(fault, f -> new AtomicInteger())
        .incrementAndGet();
    injections.add(
        new Injection(fault, operation, request.method(), request.target(), upstreamStatus));
  }

  private static void slowDown(OutputStream toClient, Head request, boolean close)
      throws IOException {
    boolean head = request.method().equals("HEAD");
    String answer =
        "HTTP/1.1 503 Slow Down\r\nContent-Type: application/xml\r\nx-amz-request-id: fault-proxy\r\n"
            + "Content-Length: "
            + (head ? 0 : SLOW_DOWN_BODY.length)
            + "\r\n"
            + (close ? "Connection: close\r\n" : "")
            + "\r\n";
    toClient.write(answer.getBytes(StandardCharsets.ISO_8859_1));
    if (!head) {
      toClient.write(SLOW_DOWN_BODY);
    }
    toClient.flush();
  }

  /**
   * After forwarding a head with {@code Expect: 100-continue}: whether the server answers (100, or
   * a final answer) before the client, tired of waiting, sends the body anyway — as clients do
   * after a few seconds, because servers need not send 100 (Ceph RGW does not, for
   * PutObjectTagging). Waits at most 5 s; without an answer the body is forwarded and the server's
   * answer read after it.
   */
  private static boolean serverAnswersFirst(InputStream fromServer, InputStream fromClient)
      throws IOException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (fromServer.available() > 0) {
        return true;
      }
      if (fromClient.available() > 0) {
        return false;
      }
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }
    return false;
  }

  /** Reads a request body and writes it to {@code to} (or discards it when {@code to} is null). */
  private static void readBody(InputStream in, Head request, OutputStream to) throws IOException {
    if (request.chunked()) {
      copyChunked(in, to);
    } else if (request.contentLength() > 0) {
      copy(in, to, request.contentLength());
    }
  }

  private static void forwardHalfBody(InputStream in, OutputStream to, Head request)
      throws IOException {
    if (request.chunked()) {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      copyChunked(in, body);
      to.write(body.toByteArray(), 0, body.size() / 2);
    } else {
      copy(in, to, request.contentLength() / 2);
    }
    to.flush();
  }

  /** Relays a response body; true when its end is the end of the connection. */
  private static boolean relayBody(InputStream in, OutputStream out, Head request, Head response)
      throws IOException {
    int status = response.status();
    if (request.method().equals("HEAD") || status / 100 == 1 || status == 204 || status == 304) {
      return false;
    }
    if (response.chunked()) {
      copyChunked(in, out);
      return false;
    }
    long length = response.contentLength();
    if (length >= 0) {
      copy(in, out, length);
      return false;
    }
    in.transferTo(out);
    return true;
  }

  private static Head readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int lastFour = 0;
    while (lastFour != 0x0D0A0D0A) {
      int b = in.read();
      if (b < 0) {
        if (head.size() == 0) {
          return null;
        }
        throw new IOException("connection closed inside a message head");
      }
      head.write(b);
      if (head.size() > MAX_HEADER_BYTES) {
        throw new IOException("message head too large");
      }
      lastFour = (lastFour << 8) | b;
    }
    byte[] bytes = head.toByteArray();
    String[] lines = new String(bytes, StandardCharsets.ISO_8859_1).split("\r\n");
    Map<String, String> headers = new HashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(
            lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
            lines[i].substring(colon + 1).trim());
      }
    }
    return new Head(bytes, lines[0], headers);
  }

  /**
   * Closes with a TCP reset (RST), as a crashed peer or a middlebox dropping the connection would.
   */
  private void reset(Socket socket) {
    try {
      socket.setSoLinger(true, 0);
    } catch (IOException ignored) {
      // already closed
    }
    close(socket);
  }

  private void close(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // already closed
    }
    sockets.remove(socket);
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket socket : new ArrayList<>(sockets)) {
      close(socket);
    }
    threads.shutdownNow();
  }
}
