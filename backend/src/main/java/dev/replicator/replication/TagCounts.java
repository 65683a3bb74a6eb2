package dev.replicator.replication;

import dev.replicator.trust.Compatibility;
import dev.replicator.trust.Trust;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * Whether a store's HEAD and GET answers show a version's tag count ({@code x-amz-tagging-count},
 * which S3 sends only when the version has tags), so that untagged versions need no
 * GetObjectTagging. AWS documents the header. Other stores are learnt per endpoint from the
 * versions whose tags were read: a version with tags whose answer showed the count proves that the
 * store shows it (Ceph RGW and moto do), one whose answer did not proves that it does not (S3Mock);
 * until then every version's tags are read. Ceph RGW shows it and says who it is in every answer,
 * so there nothing needs learning. A store that answers GetObjectTagging with NotImplemented
 * (stores without object tags) has no tags to read.
 */
@Singleton
class TagCounts {

  private final Map<String, Boolean> shownByAnswerKind = new ConcurrentHashMap<>();
  private final Map<String, Boolean> withoutTags = new ConcurrentHashMap<>();

  /**
   * Whether the version's tags must be read: unless its answer shows, or proves by omission, that
   * it has none.
   */
  boolean mayHaveTags(Trust store, HeadObjectResponse head, boolean fromGet) {
    if (head.tagCount() != null) {
      return head.tagCount() > 0;
    }
    if (fromCephRgw(head)) {
      return false;
    }
    return !shown(store, fromGet)
        && !(store.endpoint() != null && withoutTags.containsKey(store.endpoint()));
  }

  /** What reading a version's tags showed of the store. */
  void read(Trust store, HeadObjectResponse head, boolean fromGet, List<Tag> tags) {
    if (!tags.isEmpty() && !isAws(store)) {
      shownByAnswerKind.put(answerKind(store, fromGet), head.tagCount() != null);
    }
  }

  /** The store answered GetObjectTagging with NotImplemented: it keeps no tags. */
  void notImplemented(Trust store) {
    if (!isAws(store)) {
      withoutTags.put(endpointOf(store), true);
    }
  }

  /**
   * Ceph RGW marks every object answer with {@code x-rgw-object-type}, and shows the tag count
   * whenever a version has tags (CephRgwReplicationIT keeps that true).
   */
  private static boolean fromCephRgw(HeadObjectResponse head) {
    return head.sdkHttpResponse() != null
        && head.sdkHttpResponse().firstMatchingHeader("x-rgw-object-type").isPresent();
  }

  /**
   * Learnt apart for GET and HEAD answers: a store may show the count in one and not the other (the
   * copy path starts from a HEAD, the streamed one from a GET).
   */
  private boolean shown(Trust store, boolean fromGet) {
    return isAws(store) || Boolean.TRUE.equals(shownByAnswerKind.get(answerKind(store, fromGet)));
  }

  private static String answerKind(Trust store, boolean fromGet) {
    return endpointOf(store) + (fromGet ? " GET" : " HEAD");
  }

  private static boolean isAws(Trust store) {
    return Compatibility.AUTO.resolve(store.endpoint()) == Compatibility.AWS;
  }

  private static String endpointOf(Trust store) {
    return Objects.requireNonNull(store.endpoint());
  }
}
