package dev.replicator.replication;

import dev.replicator.trust.client.ResponseCapture;
import io.micronaut.core.annotation.Nullable;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteMarkerEntry;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.ObjectVersion;

/**
 * One key's versions and delete markers as the source lists them, oldest first: the source's own
 * history, which decides what is older and what is current — not the timestamps, which stores,
 * listings and events give with different precision (whole seconds, milliseconds) and which tie for
 * versions written within one second.
 *
 * <p>ListObjectVersions lists a key's entries newest first with versions and delete markers
 * interleaved; the SDK splits them into two lists, so the interleaving is read from the raw answer.
 * Some stores (S3Mock, moto) list the markers apart from the versions. So the answer's order is
 * taken as it is only where it shows the interleaving (a marker between versions) or has nothing to
 * interleave; otherwise the two lists are merged by time, the current entry newest and, within one
 * second, a marker newer than a version (a delete usually follows the write it hides).
 */
final class SourceHistory {

  private static final XMLInputFactory XML = XMLInputFactory.newFactory();

  static {
    XML.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    XML.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
  }

  /** A version or delete marker of the key. */
  record Entry(String versionId, boolean deleteMarker) {}

  private final List<Entry> oldestFirst;

  /** What the listing said of each entry, by version id. */
  private final Map<String, SourceVersion> listed;

  SourceHistory(List<Entry> oldestFirst) {
    this(oldestFirst, Map.of());
  }

  private SourceHistory(List<Entry> oldestFirst, Map<String, SourceVersion> listed) {
    this.oldestFirst = List.copyOf(oldestFirst);
    this.listed = Map.copyOf(listed);
  }

  /** Lists {@code key}'s history in {@code bucket}: one request for up to 1,000 versions. */
  static SourceHistory read(S3Client source, String bucket, String key) {
    List<Entry> newestFirst = new ArrayList<>();
    Map<String, SourceVersion> listed = new HashMap<>();
    String keyMarker = null;
    String versionMarker = null;
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    while (true) {
      String fromKey = keyMarker;
      String fromVersion = versionMarker;
      ListObjectVersionsResponse page =
          source.listObjectVersions(
              b -> {
                b.bucket(bucket)
                    .prefix(key)
                    .overrideConfiguration(o -> ResponseCapture.into(o, raw));
                if (fromKey != null) {
                  b.keyMarker(fromKey).versionIdMarker(fromVersion);
                }
              });
      OfKey found = ofKey(page, raw.toByteArray(), key, newestFirst.isEmpty());
      newestFirst.addAll(found.newestFirst());
      found.listed().forEach(version -> listed.put(version.versionId(), version));
      boolean otherKeyReached = found.otherKeyReached();
      if (otherKeyReached || !Boolean.TRUE.equals(page.isTruncated())) {
        break;
      }
      keyMarker = page.nextKeyMarker();
      versionMarker = page.nextVersionIdMarker();
    }
    Collections.reverse(newestFirst);
    return new SourceHistory(newestFirst, listed);
  }

  /** The entries, oldest first. */
  List<Entry> entries() {
    return oldestFirst;
  }

  /** The entries, newest first (the current one first). */
  List<Entry> newestFirst() {
    List<Entry> newestFirst = new ArrayList<>(oldestFirst);
    Collections.reverse(newestFirst);
    return newestFirst;
  }

  /**
   * The entry at {@code position} as the listing gave it (size, ETag, Last-Modified), for queueing
   * it.
   */
  SourceVersion version(String key, int position) {
    Entry entry = oldestFirst.get(position);
    SourceVersion version = listed.get(entry.versionId());
    return version != null
        ? version
        : new SourceVersion(
            key, entry.versionId(), entry.deleteMarker(), null, null, Instant.EPOCH);
  }

  /**
   * The position of a version in the history, 0 for the oldest; -1 when the source no longer has
   * it.
   */
  int position(String versionId) {
    for (int i = 0; i < oldestFirst.size(); i++) {
      if (oldestFirst.get(i).versionId().equals(versionId)) {
        return i;
      }
    }
    return -1;
  }

  private record Listed(
      String key,
      String versionId,
      boolean deleteMarker,
      boolean latest,
      Instant lastModified,
      @Nullable Long size,
      @Nullable String etag) {

    SourceVersion version() {
      return new SourceVersion(key, versionId, deleteMarker, size, etag, lastModified);
    }
  }

  /**
   * A page's entries of the key, newest first, what the listing said of them, and whether the page
   * went on to other keys.
   */
  record OfKey(List<Entry> newestFirst, List<SourceVersion> listed, boolean otherKeyReached) {}

  /**
   * The key's entries on one page of the listing ({@code raw} is the answer's body), newest first.
   */
  static OfKey ofKey(ListObjectVersionsResponse page, byte[] raw, String key, boolean firstPage) {
    List<Listed> listed = interleaved(page, raw);
    // Keys are listed in order and the key itself sorts before every longer key it is a prefix of.
    List<Listed> ofKey = listed.stream().takeWhile(l -> l.key().equals(key)).toList();
    boolean asListed = believable(ofKey, firstPage) && showsInterleaving(ofKey);
    List<Entry> entries =
        (asListed ? ofKey : mergedByTime(ofKey))
            .stream().map(l -> new Entry(l.versionId(), l.deleteMarker())).toList();
    return new OfKey(
        entries, ofKey.stream().map(Listed::version).toList(), ofKey.size() < listed.size());
  }

  /**
   * Whether the answer's order can be the key's history: newest first by time, and on the first
   * page the current entry first.
   */
  private static boolean believable(List<Listed> newestFirst, boolean firstPage) {
    if (firstPage && !newestFirst.isEmpty() && !newestFirst.get(0).latest()) {
      return false;
    }
    for (int i = 1; i < newestFirst.size(); i++) {
      if (newestFirst.get(i).lastModified().isAfter(newestFirst.get(i - 1).lastModified())) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether there is nothing to interleave (only versions, or only markers), or a marker lies
   * between versions.
   */
  private static boolean showsInterleaving(List<Listed> listed) {
    int firstVersion = -1;
    int lastVersion = -1;
    for (int i = 0; i < listed.size(); i++) {
      if (!listed.get(i).deleteMarker()) {
        firstVersion = firstVersion < 0 ? i : firstVersion;
        lastVersion = i;
      }
    }
    boolean anyMarker = listed.stream().anyMatch(Listed::deleteMarker);
    if (firstVersion < 0 || !anyMarker) {
      return true;
    }
    return listed.subList(firstVersion, lastVersion + 1).stream().anyMatch(Listed::deleteMarker);
  }

  /**
   * For stores that list markers apart from versions: by time, the current entry first, a marker
   * before a version of the same time.
   */
  private static List<Listed> mergedByTime(List<Listed> listed) {
    // Each of the two lists is in the store's order already; the sort is stable and keeps it within
    // a list.
    List<Listed> merged = new ArrayList<>(listed);
    merged.sort(
        Comparator.comparing(Listed::latest)
            .reversed()
            .thenComparing(Listed::lastModified, Comparator.reverseOrder())
            .thenComparing(Listed::deleteMarker, Comparator.reverseOrder()));
    return merged;
  }

  /**
   * The page's versions and delete markers in the order of the answer. The raw answer gives the
   * sequence of Version and DeleteMarker elements; the SDK's two lists, each in answer order, give
   * their (decoded) contents.
   */
  private static List<Listed> interleaved(ListObjectVersionsResponse page, byte[] raw) {
    List<Listed> listed = new ArrayList<>();
    Iterator<ObjectVersion> versions = page.versions().iterator();
    Iterator<DeleteMarkerEntry> markers = page.deleteMarkers().iterator();
    for (boolean marker : elementOrder(raw)) {
      if (marker && markers.hasNext()) {
        DeleteMarkerEntry entry = markers.next();
        listed.add(
            new Listed(
                entry.key(),
                entry.versionId(),
                true,
                Boolean.TRUE.equals(entry.isLatest()),
                entry.lastModified(),
                null,
                null));
      } else if (!marker && versions.hasNext()) {
        ObjectVersion entry = versions.next();
        listed.add(
            new Listed(
                entry.key(),
                entry.versionId(),
                false,
                Boolean.TRUE.equals(entry.isLatest()),
                entry.lastModified(),
                entry.size(),
                entry.eTag()));
      }
    }
    if (versions.hasNext() || markers.hasNext()) {
      throw new IllegalStateException("The source's version listing could not be read in order");
    }
    return listed;
  }

  /**
   * For each Version (false) or DeleteMarker (true) child of the answer's root element, in document
   * order.
   */
  private static List<Boolean> elementOrder(byte[] raw) {
    List<Boolean> order = new ArrayList<>();
    try {
      XMLStreamReader reader = XML.createXMLStreamReader(new ByteArrayInputStream(raw));
      int depth = 0;
      while (reader.hasNext()) {
        int event = reader.next();
        if (event == XMLStreamReader.START_ELEMENT) {
          depth++;
          if (depth == 2 && reader.getLocalName().equals("Version")) {
            order.add(false);
          } else if (depth == 2 && reader.getLocalName().equals("DeleteMarker")) {
            order.add(true);
          }
        } else if (event == XMLStreamReader.END_ELEMENT) {
          depth--;
        }
      }
      reader.close();
    } catch (XMLStreamException e) {
      throw new IllegalStateException(
          "The source's version listing could not be read in order: " + e.getMessage(), e);
    }
    return order;
  }
}
