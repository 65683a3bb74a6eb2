import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The bare baseline: an AWS SDK v2 copy loop, nothing else (no state, no checks, no metadata beyond
 * Content-Type). Lists the source bucket's current objects and copies each to the destination
 * bucket, {@code concurrency} objects at a time, with the client settings of Replicator's
 * S3_COMPATIBLE trusts ({@link BenchS3}).
 *
 * <pre>
 *   SdkLoop stream|copy ENDPOINT SOURCE_BUCKET DESTINATION_BUCKET CONCURRENCY [THRESHOLD PART_SIZE PART_CONCURRENCY
 *       [WARMUP_SOURCE WARMUP_DESTINATION]]
 * </pre>
 *
 * {@code stream}: GET and PUT with the GET's body streamed into the PUT (Content-MD5 from the
 * source ETag, as Replicator sends it); objects larger than THRESHOLD (default 64 MiB) as a
 * multipart upload of ranged GETs, PART_CONCURRENCY (default 4) parts of PART_SIZE (default 16 MiB)
 * at a time. {@code copy}: CopyObject, or UploadPartCopy parts above THRESHOLD. With a warm-up
 * pair, first copies WARMUP_SOURCE to WARMUP_DESTINATION the same way, untimed (the JIT compiles
 * the loop as it would in a long-running process). Prints one line: {@code sdk-loop objects=N
 * bytes=B seconds=S cpu=C store_cpu=R machine_cpu=M} (listing included; JVM start, the client's
 * construction, one HeadBucket per bucket and the warm-up excluded; C is the process's CPU seconds
 * over the same span), and the CPU seconds of the store's daemons (pids in BENCH_STORE_PIDS,
 * comma-separated) and of the whole machine over it.
 */
public final class SdkLoop {

  public static void main(String[] args) throws Exception {
    if (args.length < 5) {
      System.err.println(
          "usage: SdkLoop stream|copy ENDPOINT SOURCE DESTINATION CONCURRENCY [THRESHOLD PART_SIZE PART_CONCURRENCY]");
      System.exit(64);
    }
    boolean stream =
        switch (args[0]) {
          case "stream" -> true;
          case "copy" -> false;
          default -> throw new IllegalArgumentException("mode must be stream or copy: " + args[0]);
        };
    String endpoint = args[1];
    String source = args[2];
    String destination = args[3];
    int concurrency = Integer.parseInt(args[4]);
    long threshold = args.length > 5 ? Long.parseLong(args[5]) : 64L << 20;
    long partSize = args.length > 6 ? Long.parseLong(args[6]) : 16L << 20;
    int partConcurrency = args.length > 7 ? Integer.parseInt(args[7]) : 4;

    try (S3Client s3 =
        BenchS3.client(endpoint, concurrency * partConcurrency + 8, "replicator-bench-sdk-loop")) {
      // The client is built and has made a request before the clock starts, as Replicator's trust
      // client has when its
      // batch job is posted (the rule's creation checked the buckets): the loop's time is the
      // copies', not the SDK's
      // class loading.
      s3.headBucket(b -> b.bucket(source));
      s3.headBucket(b -> b.bucket(destination));
      ExecutorService pool = Executors.newFixedThreadPool(concurrency, DAEMON);
      ExecutorService parts = Executors.newFixedThreadPool(concurrency * partConcurrency, DAEMON);
      if (args.length > 9) {
        copyAll(s3, pool, parts, stream, args[8], args[9], threshold, partSize, partConcurrency);
      }
      com.sun.management.OperatingSystemMXBean os =
          (com.sun.management.OperatingSystemMXBean)
              java.lang.management.ManagementFactory.getOperatingSystemMXBean();
      // the store's and the machine's CPU over the timed span only (bench/run passes the store's
      // daemons' pids)
      List<Long> storePids =
          Arrays.stream(System.getenv().getOrDefault("BENCH_STORE_PIDS", "").split(","))
              .filter(p -> !p.isBlank())
              .map(Long::parseLong)
              .toList();
      double storeBefore = Sys.cpuSeconds(storePids);
      long machineBefore = Sys.machineJiffies()[0];
      long cpuBefore = os.getProcessCpuTime();
      long began = System.nanoTime();
      Copied copied =
          copyAll(
              s3, pool, parts, stream, source, destination, threshold, partSize, partConcurrency);
      pool.shutdown();
      parts.shutdown();
      double seconds = (System.nanoTime() - began) / 1e9;
      double cpu = (os.getProcessCpuTime() - cpuBefore) / 1e9;
      double store = Sys.cpuSeconds(storePids) - storeBefore;
      double machine = (Sys.machineJiffies()[0] - machineBefore) / Sys.HZ;
      System.out.printf(
          "sdk-loop objects=%d bytes=%d seconds=%.3f cpu=%.3f store_cpu=%.3f machine_cpu=%.3f%n",
          copied.objects(), copied.bytes(), seconds, cpu, store, machine);
    }
  }

  private record Copied(int objects, long bytes) {}

  /** Copies every current object of {@code source} to {@code destination}. */
  private static Copied copyAll(
      S3Client s3,
      ExecutorService pool,
      ExecutorService parts,
      boolean stream,
      String source,
      String destination,
      long threshold,
      long partSize,
      int partConcurrency)
      throws Exception {
    List<S3Object> objects = new ArrayList<>();
    s3.listObjectsV2Paginator(b -> b.bucket(source)).contents().forEach(objects::add);
    AtomicLong bytes = new AtomicLong();
    List<Future<?>> copies = new ArrayList<>();
    for (S3Object object : objects) {
      copies.add(
          pool.submit(
              () -> {
                if (object.size() > threshold) {
                  multipart(
                      s3, parts, stream, source, destination, object, partSize, partConcurrency);
                } else if (stream) {
                  streamed(s3, source, destination, object);
                } else {
                  s3.copyObject(
                      b ->
                          b.sourceBucket(source)
                              .sourceKey(object.key())
                              .destinationBucket(destination)
                              .destinationKey(object.key()));
                }
                bytes.addAndGet(object.size());
                return null;
              }));
    }
    for (Future<?> copy : copies) {
      try {
        copy.get();
      } catch (java.util.concurrent.ExecutionException e) {
        System.err.println("sdk-loop: a copy failed: " + e.getCause());
        e.getCause().printStackTrace();
        System.exit(1);
      }
    }
    return new Copied(objects.size(), bytes.get());
  }

  private static void streamed(S3Client s3, String source, String destination, S3Object object)
      throws Exception {
    try (ResponseInputStream<GetObjectResponse> in =
        s3.getObject(b -> b.bucket(source).key(object.key()))) {
      GetObjectResponse got = in.response();
      String md5 = plainMd5(got.eTag());
      s3.putObject(
          b -> {
            b.bucket(destination)
                .key(object.key())
                .contentType(got.contentType())
                .contentLength(got.contentLength());
            if (md5 != null) {
              b.contentMD5(md5);
            }
          },
          RequestBody.fromInputStream(in, got.contentLength()));
    }
  }

  private static void multipart(
      S3Client s3,
      ExecutorService parts,
      boolean stream,
      String source,
      String destination,
      S3Object object,
      long partSize,
      int partConcurrency)
      throws Exception {
    String key = object.key();
    String contentType = s3.headObject(b -> b.bucket(source).key(key)).contentType();
    String upload =
        s3.createMultipartUpload(b -> b.bucket(destination).key(key).contentType(contentType))
            .uploadId();
    int count = (int) ((object.size() + partSize - 1) / partSize);
    CompletedPart[] done = new CompletedPart[count];
    java.util.concurrent.Semaphore slots = new java.util.concurrent.Semaphore(partConcurrency);
    List<Future<?>> running = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int number = i + 1;
      long first = i * partSize;
      long last = Math.min(object.size(), first + partSize) - 1;
      slots.acquire();
      running.add(
          parts.submit(
              () -> {
                try {
                  String eTag;
                  if (stream) {
                    try (ResponseInputStream<GetObjectResponse> in =
                        s3.getObject(
                            b -> b.bucket(source).key(key).range("bytes=" + first + "-" + last))) {
                      eTag =
                          s3.uploadPart(
                                  b ->
                                      b.bucket(destination)
                                          .key(key)
                                          .uploadId(upload)
                                          .partNumber(number)
                                          .contentLength(last - first + 1),
                                  RequestBody.fromInputStream(in, last - first + 1))
                              .eTag();
                    }
                  } else {
                    eTag =
                        s3.uploadPartCopy(
                                b ->
                                    b.sourceBucket(source)
                                        .sourceKey(key)
                                        .destinationBucket(destination)
                                        .destinationKey(key)
                                        .uploadId(upload)
                                        .partNumber(number)
                                        .copySourceRange("bytes=" + first + "-" + last))
                            .copyPartResult()
                            .eTag();
                  }
                  done[number - 1] = CompletedPart.builder().partNumber(number).eTag(eTag).build();
                  return null;
                } finally {
                  slots.release();
                }
              }));
    }
    for (Future<?> part : running) {
      part.get();
    }
    s3.completeMultipartUpload(
        b -> b.bucket(destination).key(key).uploadId(upload).multipartUpload(m -> m.parts(done)));
  }

  private static final java.util.concurrent.ThreadFactory DAEMON =
      runnable -> {
        Thread thread = new Thread(runnable);
        thread.setDaemon(true);
        return thread;
      };

  /** Base64 of the MD5 an ETag names, when it is a plain MD5 (not a multipart ETag). */
  static String plainMd5(String eTag) {
    if (eTag == null) {
      return null;
    }
    String hex = eTag.replace("\"", "");
    if (!hex.matches("[0-9a-fA-F]{32}")) {
      return null;
    }
    return java.util.Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex));
  }
}
