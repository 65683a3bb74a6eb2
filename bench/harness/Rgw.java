import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;

/**
 * The Ceph RADOS Gateway that bench/lib/ceph-rgw started: its S3 endpoint, its daemons (for their
 * CPU), its request log (the beast frontend's access log, which debug level 1 writes to the
 * daemon's log file), and bucket chores.
 */
final class Rgw {

  final String endpoint;
  final Path dir;
  final S3Client s3;

  Rgw(String endpoint, Path dir) {
    this.endpoint = endpoint;
    this.dir = dir;
    this.s3 = BenchS3.client(endpoint, 64, "replicator-bench-harness");
  }

  /** radosgw, ceph-osd and ceph-mon, by their pid files. */
  Map<String, Long> daemons() {
    Map<String, Long> pids = new TreeMap<>();
    pids.put("radosgw", Sys.pidFromFile(dir.resolve("run/client.rgw.a.pid")));
    pids.put("ceph-osd", Sys.pidFromFile(dir.resolve("run/osd.0.pid")));
    pids.put("ceph-mon", Sys.pidFromFile(dir.resolve("run/mon.a.pid")));
    return pids;
  }

  double cpuSeconds() {
    return Sys.cpuSeconds(daemons().values());
  }

  Path log() {
    return dir.resolve("log/client.rgw.a.log");
  }

  long logOffset() {
    return log().toFile().length();
  }

  // --- the request log
  // ----------------------------------------------------------------------------------------------

  private static final Pattern ACCESS =
      Pattern.compile(
          " beast: \\S+ \\S+ \\S+ \\S+ \\[[^\\]]*\\] \"(\\S+) (\\S+) [^\"]*\" (\\d{3}) \\S+ \\S+ \"([^\"]*)\"(?: \\S+ latency=([\\d.]+)s)?");

  /**
   * Requests logged between two offsets of the log, by S3 operation, leaving out those whose user
   * agent contains {@code exclude} (the benchmark's own clients). Failed requests are counted under
   * their operation with " (4xx)" or " (5xx)" appended. With a {@code source} bucket, each
   * operation is prefixed {@code src:} for requests to that bucket and {@code dst:} for the others
   * (the run's destination).
   */
  Map<String, Integer> requests(long from, long to, String exclude, String source) {
    return requests(from, to, exclude, source, null);
  }

  /**
   * As {@link #requests(long, long, String, String)}; also adds each operation's logged latency (s)
   * to {@code latency}.
   */
  Map<String, Integer> requests(
      long from, long to, String exclude, String source, Map<String, Double> latency) {
    Map<String, Integer> counts = new TreeMap<>();
    for (String line : lines(from, to)) {
      Matcher m = ACCESS.matcher(line);
      if (!m.find()) {
        continue;
      }
      if (exclude != null && m.group(4).contains(exclude)) {
        continue;
      }
      String op = operation(m.group(1), m.group(2));
      if (source != null && !op.equals("ListBuckets")) {
        String path = m.group(2).replaceFirst("^/", "");
        String bucket = path.replaceFirst("[/?].*$", "");
        op = (bucket.equals(source) ? "src:" : "dst:") + op;
      }
      int status = Integer.parseInt(m.group(3));
      if (status >= 400) {
        op += status >= 500 ? " (5xx)" : " (4xx)";
      }
      counts.merge(op, 1, Integer::sum);
      if (latency != null && m.group(5) != null) {
        latency.merge(op, Double.parseDouble(m.group(5)), Double::sum);
      }
    }
    return counts;
  }

  private List<String> lines(long from, long to) {
    List<String> lines = new ArrayList<>();
    try (RandomAccessFile in = new RandomAccessFile(log().toFile(), "r")) {
      long end = Math.min(to, in.length());
      if (end <= from) {
        return lines;
      }
      byte[] bytes = new byte[(int) (end - from)];
      in.seek(from);
      in.readFully(bytes);
      for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
        if (line.contains(" beast: ")) {
          lines.add(line);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + log() + ": " + e.getMessage(), e);
    }
    return lines;
  }

  /** The S3 operation of a request, from its method, path (path-style) and sub-resources. */
  static String operation(String method, String target) {
    int q = target.indexOf('?');
    String path = q < 0 ? target : target.substring(0, q);
    List<String> params = new ArrayList<>();
    if (q >= 0) {
      for (String p : target.substring(q + 1).split("&")) {
        int eq = p.indexOf('=');
        params.add(eq < 0 ? p : p.substring(0, eq));
      }
    }
    String trimmed = path.startsWith("/") ? path.substring(1) : path;
    boolean bucketLevel = !trimmed.contains("/") || trimmed.indexOf('/') == trimmed.length() - 1;
    if (trimmed.isEmpty()) {
      return "ListBuckets";
    }
    if (bucketLevel) {
      if (params.contains("versioning"))
        return method.equals("GET") ? "GetBucketVersioning" : "PutBucketVersioning";
      if (params.contains("versions")) return "ListObjectVersions";
      if (params.contains("uploads")) return "ListMultipartUploads";
      if (params.contains("delete")) return "DeleteObjects";
      if (params.contains("object-lock")) return "GetObjectLockConfiguration";
      if (params.contains("location")) return "GetBucketLocation";
      if (params.contains("list-type")) return "ListObjectsV2";
      return switch (method) {
        case "GET" -> "ListObjects";
        case "HEAD" -> "HeadBucket";
        case "PUT" -> "CreateBucket";
        case "DELETE" -> "DeleteBucket";
        default -> method + " bucket";
      };
    }
    if (params.contains("tagging"))
      return method.equals("GET")
          ? "GetObjectTagging"
          : method.equals("PUT") ? "PutObjectTagging" : "DeleteObjectTagging";
    if (params.contains("acl")) return method.equals("GET") ? "GetObjectAcl" : "PutObjectAcl";
    if (params.contains("retention"))
      return method.equals("GET") ? "GetObjectRetention" : "PutObjectRetention";
    if (params.contains("legal-hold"))
      return method.equals("GET") ? "GetObjectLegalHold" : "PutObjectLegalHold";
    if (params.contains("uploads") && method.equals("POST")) return "CreateMultipartUpload";
    if (params.contains("uploadId")) {
      return switch (method) {
        case "PUT" -> "UploadPart";
        case "POST" -> "CompleteMultipartUpload";
        case "DELETE" -> "AbortMultipartUpload";
        case "GET" -> "ListParts";
        default -> method + " upload";
      };
    }
    return switch (method) {
      case "GET" -> "GetObject";
      case "HEAD" -> "HeadObject";
      case "PUT" -> "PutObject"; // CopyObject too: the access log does not show x-amz-copy-source
      case "DELETE" -> "DeleteObject";
      default -> method + " object";
    };
  }

  // --- buckets
  // --------------------------------------------------------------------------------------------------------

  void createBucket(String bucket, boolean versioned) {
    s3.createBucket(b -> b.bucket(bucket));
    if (versioned) {
      s3.putBucketVersioning(
          b ->
              b.bucket(bucket)
                  .versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
    }
  }

  /**
   * Every version and delete marker of the bucket, then the bucket; then RGW's garbage collection,
   * to free memory.
   */
  void deleteBucket(String bucket) {
    try {
      String keyMarker = null;
      String versionMarker = null;
      ExecutorService pool = Executors.newFixedThreadPool(8);
      List<Future<?>> deletes = new ArrayList<>();
      while (true) {
        String km = keyMarker;
        String vm = versionMarker;
        ListObjectVersionsResponse page =
            s3.listObjectVersions(
                b -> b.bucket(bucket).keyMarker(km).versionIdMarker(vm).maxKeys(1000));
        List<ObjectIdentifier> ids = new ArrayList<>();
        page.versions()
            .forEach(
                v ->
                    ids.add(
                        ObjectIdentifier.builder().key(v.key()).versionId(v.versionId()).build()));
        page.deleteMarkers()
            .forEach(
                v ->
                    ids.add(
                        ObjectIdentifier.builder().key(v.key()).versionId(v.versionId()).build()));
        if (!ids.isEmpty()) {
          deletes.add(
              pool.submit(
                  () ->
                      s3.deleteObjects(
                          b -> b.bucket(bucket).delete(d -> d.objects(ids).quiet(true)))));
        }
        if (!Boolean.TRUE.equals(page.isTruncated())) {
          break;
        }
        keyMarker = page.nextKeyMarker();
        versionMarker = page.nextVersionIdMarker();
      }
      for (Future<?> d : deletes) {
        d.get();
      }
      pool.shutdown();
      s3.listMultipartUploadsPaginator(b -> b.bucket(bucket))
          .uploads()
          .forEach(
              u ->
                  s3.abortMultipartUpload(
                      b -> b.bucket(bucket).key(u.key()).uploadId(u.uploadId())));
      s3.deleteBucket(b -> b.bucket(bucket));
    } catch (NoSuchBucketException e) {
      // already gone
    } catch (Exception e) {
      Bench.note("could not delete bucket " + bucket + ": " + e);
    }
  }

  /**
   * Runs RGW's garbage collection now, so that the tails of deleted large objects leave the
   * memstore OSD.
   */
  void collectGarbage() {
    try {
      Process p =
          new ProcessBuilder(
                  "radosgw-admin",
                  "-c",
                  dir.resolve("ceph.conf").toString(),
                  "gc",
                  "process",
                  "--include-all")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!p.waitFor(300, java.util.concurrent.TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    } catch (IOException | InterruptedException e) {
      Bench.note("radosgw-admin gc process failed: " + e);
    }
  }

  /** Current objects of a bucket (ListObjectsV2) and their total size. */
  long[] countObjects(String bucket, String prefix) {
    long[] count = new long[2];
    s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix))
        .contents()
        .forEach(
            o -> {
              count[0]++;
              count[1] += o.size();
            });
    return count;
  }

  // --- filling
  // --------------------------------------------------------------------------------------------------------

  /**
   * N objects of SIZE bytes of distinct random content under prefix, {@code threads} PUTs at a
   * time.
   */
  void fill(String bucket, String prefix, int count, int size, int threads) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<?>> puts = new ArrayList<>();
    AtomicInteger done = new AtomicInteger();
    java.util.Random seed = new java.util.Random(42);
    byte[] base = new byte[size + 64];
    seed.nextBytes(base);
    for (int i = 0; i < count; i++) {
      String key = prefix + String.format("%07d", i);
      int n = i;
      puts.add(
          pool.submit(
              () -> {
                byte[] body = java.util.Arrays.copyOfRange(base, n % 64, n % 64 + size);
                java.nio.ByteBuffer.wrap(body).putInt(n);
                s3.putObject(
                    b -> b.bucket(bucket).key(key).contentType("application/octet-stream"),
                    RequestBody.fromBytes(body));
                done.incrementAndGet();
                return null;
              }));
    }
    for (Future<?> put : puts) {
      put.get();
    }
    pool.shutdown();
  }

  /**
   * One object of {@code size} bytes, uploaded in 16 MiB parts, 4 at a time (a single PUT below 16
   * MiB).
   */
  void fillLarge(String bucket, String key, long size) throws Exception {
    int partSize = 16 << 20;
    byte[] base = new byte[partSize];
    new java.util.Random(key.hashCode()).nextBytes(base);
    if (size <= partSize) {
      s3.putObject(
          b -> b.bucket(bucket).key(key).contentType("application/octet-stream"),
          RequestBody.fromBytes(java.util.Arrays.copyOf(base, (int) size)));
      return;
    }
    String upload =
        s3.createMultipartUpload(
                b -> b.bucket(bucket).key(key).contentType("application/octet-stream"))
            .uploadId();
    int parts = (int) ((size + partSize - 1) / partSize);
    CompletedPart[] done = new CompletedPart[parts];
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<?>> running = new ArrayList<>();
    for (int i = 0; i < parts; i++) {
      int number = i + 1;
      int length = (int) Math.min(partSize, size - (long) i * partSize);
      running.add(
          pool.submit(
              () -> {
                byte[] body = java.util.Arrays.copyOf(base, length);
                java.nio.ByteBuffer.wrap(body).putInt(number);
                String eTag =
                    s3.uploadPart(
                            b -> b.bucket(bucket).key(key).uploadId(upload).partNumber(number),
                            RequestBody.fromBytes(body))
                        .eTag();
                done[number - 1] = CompletedPart.builder().partNumber(number).eTag(eTag).build();
                return null;
              }));
    }
    for (Future<?> f : running) {
      f.get();
    }
    pool.shutdown();
    s3.completeMultipartUpload(
        b -> b.bucket(bucket).key(key).uploadId(upload).multipartUpload(m -> m.parts(done)));
  }
}
