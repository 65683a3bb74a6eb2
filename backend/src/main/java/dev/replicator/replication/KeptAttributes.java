package dev.replicator.replication;

import dev.replicator.trust.Trust;
import jakarta.inject.Singleton;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Which attributes a destination bucket is known to keep exactly as a single PutObject sends them,
 * so that a replica written that way needs no HEAD to confirm them (see {@link ReplicaCheck}). A
 * store's handling of attributes depends on their names, not on their values, as long as the values
 * are plain printable ASCII of a size it has kept before: Ceph RGW renames every metadata name with
 * {@code _}, S3Mock keeps a Content-Type only in its own spelling. So what is learnt is a shape —
 * the metadata names, which content headers are set, the size class of the metadata — proved kept
 * by one replica of that shape that its HEAD showed faithful. Replicas with tags, Object Lock
 * settings or values outside that class are always read back; nothing is assumed for a shape the
 * bucket has not shown.
 *
 * <p>Likewise whether a bucket answers PutObject with the MD5 of the bytes it stored as the ETag:
 * there, a replica whose answer's ETag is the source's ETag is proved to hold the source's bytes,
 * so the worker need not hash them itself (until an answer shows otherwise, e.g. once the bucket
 * encrypts with SSE-KMS by default).
 */
@Singleton
class KeptAttributes {

  private final Set<String> proven = ConcurrentHashMap.newKeySet();
  private final Set<String> showingMd5 = ConcurrentHashMap.newKeySet();

  /** Whether the bucket's PutObject answers have shown the stored bytes' MD5 as their ETag. */
  boolean showsMd5(Trust destination, String bucket) {
    return showingMd5.contains(bucketKey(destination, bucket));
  }

  /**
   * What a PutObject answer showed: an ETag that is the MD5 of the bytes sent, or one that is not.
   */
  void md5Shown(Trust destination, String bucket, boolean shown) {
    if (shown) {
      showingMd5.add(bucketKey(destination, bucket));
    } else {
      showingMd5.remove(bucketKey(destination, bucket));
    }
  }

  private static String bucketKey(Trust destination, String bucket) {
    return destination.id() + " " + destination.endpoint() + " " + bucket;
  }

  /**
   * Whether a replica of this shape, written to this bucket with one PutObject, is known to keep
   * its attributes.
   */
  boolean known(Trust destination, String bucket, ReplicaCheck.Expected expected) {
    return shape(destination, bucket, expected).map(proven::contains).orElse(false);
  }

  /** A replica of this shape was shown (by its HEAD) to hold every attribute sent. */
  void shownKept(Trust destination, String bucket, ReplicaCheck.Expected expected) {
    shape(destination, bucket, expected).ifPresent(proven::add);
  }

  /**
   * The shape's key; empty when a value is not plain ASCII (stores encode such values in their own
   * ways).
   */
  static Optional<String> shape(Trust destination, String bucket, ReplicaCheck.Expected expected) {
    Map<String, String> headers = new TreeMap<>();
    put(headers, "content-type", expected.contentType());
    put(headers, "cache-control", expected.cacheControl());
    put(headers, "content-disposition", expected.contentDisposition());
    put(headers, "content-encoding", expected.contentEncoding());
    put(headers, "content-language", expected.contentLanguage());
    put(headers, "expires", expected.expires());
    Map<String, String> metadata = expected.metadata() == null ? Map.of() : expected.metadata();
    if (Stream.concat(
            headers.values().stream(),
            Stream.concat(metadata.keySet().stream(), metadata.values().stream()))
        .anyMatch(value -> !plainAscii(value))) {
      return Optional.empty();
    }
    int metadataBytes =
        metadata.entrySet().stream()
            .mapToInt(e -> e.getKey().length() + e.getValue().length())
            .sum();
    Set<String> names =
        metadata.keySet().stream()
            .map(name -> name.toLowerCase(Locale.ROOT))
            .collect(Collectors.toCollection(TreeSet::new));
    return Optional.of(
        bucketKey(destination, bucket)
            + " "
            + headers.keySet()
            + " "
            + names
            + " "
            + Integer.highestOneBit(Math.max(1, metadataBytes)));
  }

  private static void put(Map<String, String> headers, String name, String value) {
    if (value != null && !value.isBlank()) {
      headers.put(name, value);
    }
  }

  private static boolean plainAscii(String text) {
    return text.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
  }
}
