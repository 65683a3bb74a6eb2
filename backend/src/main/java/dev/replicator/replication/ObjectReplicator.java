package dev.replicator.replication;

import dev.replicator.platform.Backoff;
import dev.replicator.platform.crypto.SecretUnavailableException;
import dev.replicator.replication.FailureClassifier.Step;
import dev.replicator.rule.Rule;
import dev.replicator.trust.BucketRef;
import dev.replicator.trust.Compatibility;
import dev.replicator.trust.FailureText;
import dev.replicator.trust.Trust;
import dev.replicator.trust.client.TrustClients;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.Grant;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.Owner;
import software.amazon.awssdk.services.s3.model.Permission;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.Tag;
import software.amazon.awssdk.services.s3.model.Tagging;
import software.amazon.awssdk.services.s3.model.Type;

/**
 * Copies one source version to one destination, keeping what S3 Replication keeps: the bytes
 * (verified end to end with MD5 where the ETag allows), content headers, user metadata, tags,
 * Object Lock retention and legal hold, and encryption; the destination's storage class and KMS key
 * override the source's. Delete markers become delete markers. Data streams from source to
 * destination without being held in memory or on disk. A copy is complete when the destination
 * shows that the replica holds what the source version has, not when the write was answered (see
 * {@link ReplicaCheck}).
 */
@Singleton
class ObjectReplicator {

  private static final Pattern PLAIN_MD5 = Pattern.compile("[0-9a-f]{32}");
  private static final int UNRECORDED_LOOKED_AT = 10;
  private static final Duration COPY_REFUSAL_REMEMBERED = Duration.ofMinutes(10);

  /**
   * The failure reason of a replica the destination did not store as written (metadata, content
   * headers or tags it dropped or changed). Not one of AWS's reasons, which each name a permission
   * or setting to fix, because S3 itself stores what it is sent; DstPutObjectNotPermitted would
   * send operators to their policies, and a reason of its own lets them retry exactly these objects
   * once they changed what the message names.
   */
  static final String REPLICA_MISMATCH = "DstReplicaMismatch";

  /**
   * Trust pairs whose destination credentials may not read the source: copied through the worker
   * for a while.
   */
  private final Map<String, Instant> serverCopyRefused = new ConcurrentHashMap<>();

  private final TrustClients clients;
  private final DestinationCheck destinations;
  private final WorkerSettings settings;
  private final ObjectLocks locks;
  private final TagCounts tagCounts;
  private final ObjectAcls acls;
  private final KeptAttributes kept;

  ObjectReplicator(
      TrustClients clients,
      DestinationCheck destinations,
      WorkerSettings settings,
      ObjectLocks locks,
      TagCounts tagCounts,
      ObjectAcls acls,
      KeptAttributes kept) {
    this.clients = clients;
    this.destinations = destinations;
    this.settings = settings;
    this.locks = locks;
    this.tagCounts = tagCounts;
    this.kept = kept;
    this.acls = acls;
  }

  /**
   * Copies the task's version; throws {@link LeaseLostException} when the lease was lost on the
   * way.
   */
  TaskResult replicate(
      ReplicationTask task,
      Rule rule,
      Trust sourceTrust,
      Trust destinationTrust,
      Lease lease,
      MultipartCopy.Uploads uploads,
      Supplier<Set<String>> recordedReplicas) {
    Optional<Rule.Destination> destination =
        rule.destinations().stream()
            .filter(
                d ->
                    d.trustId().equals(task.destinationTrustId())
                        && d.bucket().equals(task.destinationBucket()))
            .findFirst();
    if (destination.isEmpty()) {
      return TaskResult.skipped(
          "NOT_IN_RULE",
          "This destination was removed from the rule before the version was copied.");
    }
    Copy copy =
        new Copy(
            task,
            rule,
            destination.get(),
            sourceTrust,
            destinationTrust,
            lease,
            uploads,
            recordedReplicas);
    try {
      return copy.run();
    } catch (SdkException | SecretUnavailableException e) {
      if (Lease.lostIn(e)) {
        throw new LeaseLostException();
      }
      return copy.failure(e);
    }
  }

  /**
   * For a version about to be skipped as older than one replicated: the replica an earlier attempt
   * of it wrote, if any (its worker lost the lease before recording the outcome, and others copied
   * the newer versions meanwhile). Looks at up to a few of the destination's unrecorded versions of
   * the key, newest first, for this version's stamp.
   */
  Optional<String> earlierReplica(
      ReplicationTask task, Trust destinationTrust, Set<String> recordedReplicas) {
    S3Client target = clients.s3(destinationTrust);
    List<SourceHistory.Entry> unrecorded =
        SourceHistory.read(target, task.destinationBucket(), task.sourceKey())
            .newestFirst()
            .stream()
            .filter(entry -> !recordedReplicas.contains(entry.versionId()))
            .toList();
    return stampedReplica(target, task, unrecorded).map(Stamped::versionId);
  }

  /**
   * For a delete marker about to be skipped as older than a version replicated: the marker an
   * earlier attempt of it wrote, if any. Markers carry no stamp and are alike, so it is the oldest
   * marker below the newest recorded replica that no record names (a retried marker task above them
   * claims the oldest unrecorded one above it in the same way).
   */
  Optional<String> earlierMarker(
      ReplicationTask task, Trust destinationTrust, Set<String> recordedReplicas) {
    S3Client target = clients.s3(destinationTrust);
    boolean belowRecorded = false;
    String oldest = null;
    for (SourceHistory.Entry entry :
        SourceHistory.read(target, task.destinationBucket(), task.sourceKey()).newestFirst()) {
      if (recordedReplicas.contains(entry.versionId())) {
        belowRecorded = true;
      } else if (belowRecorded && entry.deleteMarker()) {
        oldest = entry.versionId();
      }
    }
    return Optional.ofNullable(oldest);
  }

  /**
   * The first of {@code candidates} (destination entries of the task's key, newest first) that
   * carries the task's source version stamp. Stores that answer a copy without a version id leave
   * replicas unrecorded, so only a few versions are looked at.
   */
  private static Optional<Stamped> stampedReplica(
      S3Client target, ReplicationTask task, List<SourceHistory.Entry> candidates) {
    for (SourceHistory.Entry entry :
        candidates.stream().filter(e -> !e.deleteMarker()).limit(UNRECORDED_LOOKED_AT).toList()) {
      try {
        HeadObjectResponse head =
            target.headObject(
                b ->
                    b.bucket(task.destinationBucket())
                        .key(task.sourceKey())
                        .versionId(entry.versionId()));
        if (ReplicaStamp.copies(head.metadata(), task.sourceVersionId())) {
          return Optional.of(new Stamped(entry.versionId(), head));
        }
      } catch (SdkException e) {
        if (FailureText.status(e) != 404) {
          throw e;
        }
      }
    }
    return Optional.empty();
  }

  /** A destination version that carries a task's stamp, and what a HEAD of it showed. */
  private record Stamped(String versionId, HeadObjectResponse head) {}

  /** One copy of one version, remembering the step it is at so failures get the right reason. */
  private final class Copy {
    private final ReplicationTask task;
    private final Rule rule;
    private final Rule.Destination destination;
    private final Trust sourceTrust;
    private final Trust destinationTrust;
    private final Lease lease;
    private final MultipartCopy.Uploads uploads;

    /** The destination versions of the key recorded as replicas (of any of its versions). */
    private final Supplier<Set<String>> recordedReplicas;

    private Step step = Step.SOURCE_HEAD;

    /**
     * Whether the PutObject's answer showed (by a plain-MD5 ETag) the very bytes that were sent.
     */
    private boolean putShowedBytes;

    private S3Client target;
    private S3Client writer;

    /**
     * What the request being made checks or sets on a written replica, named in its failure
     * message.
     */
    private String checking;

    /**
     * The storage class the replica is written in (null: the store's default), named when the store
     * refuses it.
     */
    private String storageClass;

    Copy(
        ReplicationTask task,
        Rule rule,
        Rule.Destination destination,
        Trust sourceTrust,
        Trust destinationTrust,
        Lease lease,
        MultipartCopy.Uploads uploads,
        Supplier<Set<String>> recordedReplicas) {
      this.task = task;
      this.rule = rule;
      this.destination = destination;
      this.sourceTrust = sourceTrust;
      this.destinationTrust = destinationTrust;
      this.lease = lease;
      this.uploads = uploads;
      this.recordedReplicas = recordedReplicas;
    }

    TaskResult run() {
      S3Client source = clients.s3(sourceTrust);
      step = Step.DESTINATION_CHECK;
      target = clients.s3(destinationTrust);
      writer = clients.writer(destinationTrust);
      Optional<TaskResult> unusable = destinations.problem(target, task.destination());
      if (unusable.isPresent()) {
        return unusable.get();
      }
      return task.deleteMarker() ? deleteMarker(target) : object(source, target);
    }

    private TaskResult deleteMarker(S3Client target) {
      if (task.attempts() > 1) {
        // Delete markers carry no metadata: one that no replica record names is an earlier
        // attempt's write. The
        // oldest is this task's: a key's entries are copied oldest first, so when several attempts'
        // answers were lost
        // (a worker killed after writing a marker, a version and two more markers), the oldest
        // unrecorded marker is
        // the first task's, and the newer ones belong to the tasks still to come.
        Optional<SourceHistory.Entry> unrecorded =
            unrecordedAtDestination(target).stream()
                .filter(SourceHistory.Entry::deleteMarker)
                .reduce((newer, older) -> older);
        if (unrecorded.isPresent()) {
          return TaskResult.alreadyReplicated(unrecorded.get().versionId());
        }
      }
      step = Step.DESTINATION_DELETE;
      lease.ensureHeld();
      String answered =
          writer
              .deleteObject(b -> b.bucket(task.destinationBucket()).key(task.sourceKey()))
              .versionId();
      // Stores do not all answer with the marker's id (S3Mock gives the id of the version it hid,
      // or none); the key is
      // this copy's alone, so the destination's current marker is the one just made.
      step = Step.DESTINATION_CHECK;
      Optional<SourceHistory.Entry> current =
          SourceHistory.read(target, task.destinationBucket(), task.sourceKey())
              .newestFirst()
              .stream()
              .findFirst();
      return TaskResult.replicated(
          current
              .filter(SourceHistory.Entry::deleteMarker)
              .map(SourceHistory.Entry::versionId)
              .orElse(answered));
    }

    /**
     * The key's entries at the destination that no replica record names, newest first, down to the
     * newest recorded replica of a version: where earlier attempts' writes land whose answers were
     * lost (a key's versions are copied one at a time, in order). Recorded delete markers are
     * passed over, since markers are alike and two lost answers in a row leave two unrecorded
     * markers to be claimed one by one.
     */
    private List<SourceHistory.Entry> unrecordedAtDestination(S3Client target) {
      step = Step.DESTINATION_CHECK;
      Set<String> recorded = recordedReplicas.get();
      List<SourceHistory.Entry> unrecorded = new ArrayList<>();
      for (SourceHistory.Entry entry :
          SourceHistory.read(target, task.destinationBucket(), task.sourceKey()).newestFirst()) {
        if (!recorded.contains(entry.versionId())) {
          unrecorded.add(entry);
        } else if (!entry.deleteMarker()) {
          break;
        }
      }
      return unrecorded;
    }

    /**
     * A version that streams through the worker in one PUT is read with one GET, whose answer also
     * serves as its HEAD; others (server-side copies, multipart uploads, versions of unknown size)
     * start with a HEAD.
     */
    private TaskResult object(S3Client source, S3Client target) {
      step = Step.SOURCE_HEAD;
      boolean oneGet =
          task.size() != null
              && task.size() <= settings.multipartThreshold()
              && !copiedOnServer(task.size());
      try (SourceBody body =
          oneGet
              ? new SourceBody(
                  source,
                  b ->
                      b.bucket(rule.source().bucket())
                          .key(task.sourceKey())
                          .versionId(task.sourceVersionId()))
              : null) {
        step = oneGet ? Step.SOURCE_GET : Step.SOURCE_HEAD;
        HeadObjectResponse head =
            oneGet
                ? body.open()
                : source.headObject(
                    b ->
                        b.bucket(rule.source().bucket())
                            .key(task.sourceKey())
                            .versionId(task.sourceVersionId()));
        if (!task.includeReplicas()
            && ReplicaStamp.isReplica(head.metadata(), head.replicationStatusAsString())) {
          return TaskResult.skipped("REPLICA");
        }
        step = Step.SOURCE_TAGGING;
        List<Tag> tags = sourceTags(source, head, oneGet);
        if (!matchesTagFilter(tags)) {
          return TaskResult.skipped(
              "FILTERED", "The version's tags do not match the rule's tag filter.");
        }
        step = Step.SOURCE_HEAD;
        BucketRef sourceBucket = new BucketRef(sourceTrust.id(), rule.source().bucket());
        ObjectLocks.Lock lock =
            locks.of(source, sourceBucket, task.sourceKey(), task.sourceVersionId(), head);
        CompletableFuture<List<Grant>> grants =
            destination.ownerOverride()
                ? CompletableFuture.completedFuture(List.of())
                : acls.grants(source, sourceBucket, task.sourceKey(), task.sourceVersionId());
        Intended intended =
            new Intended(
                ReplicaCheck.Expected.of(request(head, tags, lock, null), head.expiresString()),
                tags,
                lock,
                grants);
        if (task.attempts() > 1) {
          Optional<HeadObjectResponse> existing = existingReplica(target);
          // An earlier attempt's replica that does not hold what the source has is no replica: it
          // is written again.
          if (existing.isPresent()
              && ReplicaCheck.differences(intended.expected(), existing.get()).isEmpty()) {
            return finishReplica(
                existing.get().versionId(), existing.get(), Written.EARLIER, intended);
          }
        }
        return put(source, head, intended, body);
      }
    }

    /**
     * After a crash, a timeout or a lost answer the earlier attempt may have written the replica: a
     * version at the destination newer than every recorded replica that carries this version's
     * stamp.
     */
    private Optional<HeadObjectResponse> existingReplica(S3Client target) {
      return stampedReplica(target, task, unrecordedAtDestination(target)).map(Stamped::head);
    }

    /**
     * Writes the replica; {@code opened} is the version's GET already made, if any (else one is
     * made here).
     */
    private TaskResult put(
        S3Client source, HeadObjectResponse head, Intended intended, SourceBody opened) {
      step = Step.SOURCE_GET;
      String sourceMd5 = plainMd5(head.eTag(), head.serverSideEncryptionAsString()).orElse(null);
      boolean large = head.contentLength() > settings.multipartThreshold();
      boolean onServer = copiedOnServer(head.contentLength());
      if (onServer && head.contentLength() <= settings.copyObjectLimit()) {
        Optional<TaskResult> copied = serverSideCopy(head, intended, sourceMd5);
        if (copied.isPresent()) {
          return copied.get();
        }
      }
      if (large) {
        if (opened != null) {
          opened.close();
        }
        String resume = task.multipartUploadId();
        if (onServer && serverSideCopyPossible()) {
          try {
            String versionId = multipart(source, head, intended, true, resume);
            return finishReplica(versionId, null, Written.MULTIPART_COPY, intended);
          } catch (ServerCopyRefused refused) {
            resume = null;
          }
        }
        return finishReplica(
            multipart(source, head, intended, false, resume), null, Written.MULTIPART, intended);
      }
      try (SourceBody body =
          opened != null
              ? opened
              : new SourceBody(
                  source,
                  b ->
                      b.bucket(rule.source().bucket())
                          .key(task.sourceKey())
                          .versionId(task.sourceVersionId()))) {
        PutObjectRequest request = request(head, intended.tags(), intended.lock(), sourceMd5);
        // Where the destination's answer will show the stored bytes' MD5, comparing it with the
        // source's ETag proves
        // the copy end to end; the worker hashes the bytes itself only where it will not.
        String bucket = task.destinationBucket();
        boolean etagProves =
            sourceMd5 != null
                && destination.kmsKeyId() == null
                && kept.showsMd5(destinationTrust, bucket);
        body.digest(!etagProves);
        step = Step.DESTINATION_PUT;
        lease.ensureHeld();
        PutObjectResponse response =
            writer.putObject(
                request,
                RequestBody.fromContentProvider(
                    () -> lease.guard(body.newStream()),
                    head.contentLength(),
                    head.contentType() == null ? "binary/octet-stream" : head.contentType()));
        Optional<String> stored =
            plainMd5(response.eTag(), response.serverSideEncryptionAsString());
        String copied = etagProves ? sourceMd5 : body.md5();
        if (!etagProves && sourceMd5 != null && !sourceMd5.equals(copied)) {
          return TaskResult.retryLater(
              Duration.ofSeconds(5),
              "The bytes read from the source did not match its ETag; the copy is retried.");
        }
        if (stored.isPresent() && destination.kmsKeyId() == null && !stored.get().equals(copied)) {
          return TaskResult.retryLater(
              Duration.ofSeconds(5),
              etagProves
                  ? "The destination stored bytes whose MD5 is not the source's ETag; the copy is retried."
                  : "The destination stored different bytes than were sent (ETag mismatch); the copy is retried.");
        }
        putShowedBytes = stored.isPresent() && stored.get().equals(copied);
        if (destination.kmsKeyId() == null) {
          // After an answer without an MD5 ETag (the bucket now encrypts with SSE-KMS by default,
          // say) the worker
          // hashes again; a copy the worker did not hash was then checked in transit only
          // (Content-MD5, signed chunks).
          kept.md5Shown(destinationTrust, bucket, putShowedBytes);
        }
        return finishReplica(response.versionId(), null, Written.PUT, intended);
      }
    }

    /**
     * The version id the multipart upload completed; {@link ServerCopyRefused} when UploadPartCopy
     * was denied.
     */
    private String multipart(
        S3Client source,
        HeadObjectResponse head,
        Intended intended,
        boolean serverSide,
        String resumeUploadId) {
      PutObjectRequest request = request(head, intended.tags(), intended.lock(), null);
      step = Step.DESTINATION_PUT;
      MultipartCopy multipart =
          new MultipartCopy(
              source,
              target,
              writer,
              rule.source().bucket(),
              task,
              head.contentLength(),
              settings.partSizeFor(head.contentLength()),
              settings.partConcurrency(),
              serverSide,
              resumeUploadId,
              lease);
      try {
        return multipart.run(MultipartRequests.create(request, intended.tags()), uploads);
      } catch (SdkException e) {
        if (!serverSide || FailureText.status(e) != 403) {
          throw e;
        }
        refuseServerCopy();
        throw new ServerCopyRefused();
      }
    }

    /**
     * Whether a version of this size is copied by the store: above {@code
     * REPLICATOR_SERVER_SIDE_COPY_ABOVE}, where a server-side copy is possible at all; smaller ones
     * stream, a request fewer.
     */
    private boolean copiedOnServer(long size) {
      return size > settings.serverSideCopyAbove() && serverSideCopyPossible();
    }

    /**
     * Source and destination on the same endpoint: the store copies the bytes itself (CopyObject up
     * to the copy cutoff, UploadPartCopy parts above) and nothing streams through the worker, as
     * rclone does. Not for a while after the destination's credentials could not read the source.
     */
    private boolean serverSideCopyPossible() {
      Instant refusedUntil = serverCopyRefused.get(pairKey());
      return settings.serverSideCopy()
          && Objects.equals(sourceTrust.endpoint(), destinationTrust.endpoint())
          && (refusedUntil == null || refusedUntil.isBefore(Instant.now()));
    }

    /**
     * Empty when the destination's credentials may not read the source: the caller then copies
     * through the worker.
     */
    private Optional<TaskResult> serverSideCopy(
        HeadObjectResponse head, Intended intended, String sourceMd5) {
      step = Step.DESTINATION_PUT;
      PutObjectRequest put = request(head, intended.tags(), intended.lock(), null);
      lease.ensureHeld();
      CopyObjectResponse response;
      try {
        response =
            writer.copyObject(
                MultipartRequests.copy(
                    put, intended.tags(), rule.source().bucket(), task.sourceVersionId()));
      } catch (SdkException e) {
        if (FailureText.status(e) == 403) {
          refuseServerCopy();
          return Optional.empty();
        }
        throw e;
      }
      Optional<String> stored =
          plainMd5(response.copyObjectResult().eTag(), response.serverSideEncryptionAsString());
      if (sourceMd5 != null
          && stored.isPresent()
          && destination.kmsKeyId() == null
          && !stored.get().equals(sourceMd5)) {
        return Optional.of(
            TaskResult.retryLater(
                Duration.ofSeconds(5),
                "The server-side copy's ETag does not match the source's; the copy is retried."));
      }
      return Optional.of(finishReplica(response.versionId(), null, Written.COPY, intended));
    }

    /**
     * The destination's credentials may not read the source: copy through the worker for a while.
     */
    private void refuseServerCopy() {
      serverCopyRefused.put(pairKey(), Instant.now().plus(COPY_REFUSAL_REMEMBERED));
    }

    private String pairKey() {
      return sourceTrust.id() + "/" + destinationTrust.id();
    }

    /**
     * Confirms that a written replica holds what the source version has, from what the destination
     * shows rather than what was sent, and sets what a store ignored where a call of its own sets
     * it. One HEAD of the written version (none for an earlier attempt's replica, whose HEAD was
     * just read) shows its size, user metadata with the replica stamp, content headers and, on most
     * stores, its Object Lock state; its tags are read only when the source has tags. Tags a store
     * dropped or garbled are set with PutObjectTagging and read again. Retention and legal hold the
     * HEAD does not show are set with their own calls (some stores ignore the Object Lock headers
     * of a write, some do not show them in HEAD), and, without owner override, so are the source's
     * ACL grants (no write carries them): those calls fail when they do not take effect, so they
     * are not read back. Metadata or content headers that differ can only be fixed by writing
     * again: the task fails with {@link #REPLICA_MISMATCH}, naming what differed.
     */
    private TaskResult finishReplica(
        String versionId, HeadObjectResponse shown, Written written, Intended intended) {
      lease.ensureHeld();
      HeadObjectResponse replica = shown;
      // A single PutObject's replica of a shape this bucket has shown it keeps, whose ETag showed
      // its bytes, needs no
      // HEAD: nothing could differ that the HEAD would show (no tags, no Object Lock settings to
      // see).
      boolean plainPut =
          written == Written.PUT
              && versionId != null
              && intended.tags().isEmpty()
              && intended.lock().mode() == null
              && intended.lock().legalHold() == null;
      String bucket = task.destinationBucket();
      if (replica == null
          && !(plainPut
              && putShowedBytes
              && kept.known(destinationTrust, bucket, intended.expected()))) {
        Optional<HeadObjectResponse> head = headOfReplica(versionId);
        if (head.isEmpty()) {
          return TaskResult.retryLater(
              Backoff.delay(task.attempts()),
              "The destination does not show version "
                  + versionId
                  + " of "
                  + task.sourceKey()
                  + " that it answered for "
                  + written.request
                  + "; the copy is retried.");
        }
        replica = head.get();
      }
      String replicaVersion = versionId != null ? versionId : replica.versionId();
      if (replica != null) {
        List<String> differences = ReplicaCheck.differences(intended.expected(), replica);
        if (!differences.isEmpty()) {
          return mismatch(written, replicaVersion, String.join("; ", differences));
        }
        if (plainPut) {
          kept.shownKept(destinationTrust, bucket, intended.expected());
        }
        Optional<TaskResult> tagsNotKept =
            ensureTags(replicaVersion, replica, written, intended.tags());
        if (tagsNotKept.isPresent()) {
          return tagsNotKept.get();
        }
      }
      checking = null;
      lease.ensureHeld();
      List<Grant> grants = sourceGrants(intended.grants());
      if (!grants.isEmpty()) {
        step = Step.DESTINATION_ACL;
        Owner owner =
            writer
                .getObjectAcl(
                    b ->
                        b.bucket(task.destinationBucket())
                            .key(task.sourceKey())
                            .versionId(replicaVersion))
                .owner();
        List<Grant> all = new ArrayList<>();
        all.add(
            Grant.builder()
                .grantee(g -> g.type(Type.CANONICAL_USER).id(owner.id()))
                .permission(Permission.FULL_CONTROL)
                .build());
        all.addAll(grants);
        writer.putObjectAcl(
            b ->
                b.bucket(task.destinationBucket())
                    .key(task.sourceKey())
                    .versionId(replicaVersion)
                    .accessControlPolicy(p -> p.owner(owner).grants(all)));
      }
      ObjectLocks.Lock lock = intended.lock();
      if (lock.mode() != null
          && lock.retainUntil() != null
          && !ReplicaCheck.showsRetention(lock, replica)) {
        step = Step.DESTINATION_RETENTION;
        writer.putObjectRetention(
            b ->
                b.bucket(task.destinationBucket())
                    .key(task.sourceKey())
                    .versionId(replicaVersion)
                    .retention(r -> r.mode(lock.mode()).retainUntilDate(lock.retainUntil())));
      }
      if (lock.legalHold() != null && !ReplicaCheck.showsLegalHold(lock, replica)) {
        step = Step.DESTINATION_LEGAL_HOLD;
        writer.putObjectLegalHold(
            b ->
                b.bucket(task.destinationBucket())
                    .key(task.sourceKey())
                    .versionId(replicaVersion)
                    .legalHold(h -> h.status(lock.legalHold())));
      }
      return written == Written.EARLIER
          ? TaskResult.alreadyReplicated(replicaVersion)
          : TaskResult.replicated(replicaVersion);
    }

    /**
     * The HEAD of the written version, or of the key's latest version where the store answered no
     * version id (RGW's CopyObject does not); its replica stamp then shows whether it is the one
     * written. Empty when the store does not show it.
     */
    private Optional<HeadObjectResponse> headOfReplica(String versionId) {
      step = Step.DESTINATION_PUT;
      checking = "HeadObject of the written replica";
      try {
        return Optional.of(
            target.headObject(
                b ->
                    b.bucket(task.destinationBucket()).key(task.sourceKey()).versionId(versionId)));
      } catch (SdkException e) {
        if (FailureText.status(e) == 404) {
          return Optional.empty();
        }
        throw e;
      }
    }

    /**
     * The source's tags on the replica: read (unless the HEAD's tag count already says they
     * differ), set with PutObjectTagging where they differ, and read again. Empty when the replica
     * has them.
     */
    private Optional<TaskResult> ensureTags(
        String versionId, HeadObjectResponse replica, Written written, List<Tag> tags) {
      if (tags.isEmpty()) {
        return Optional.empty();
      }
      step = Step.DESTINATION_PUT;
      try {
        if (!ReplicaCheck.tagCountDiffers(tags.size(), replica.tagCount())
            && ReplicaCheck.sameTags(tags, replicaTags(versionId))) {
          return Optional.empty();
        }
        checking = "PutObjectTagging on the replica";
        lease.ensureHeld();
        target.putObjectTagging(
            b ->
                b.bucket(task.destinationBucket())
                    .key(task.sourceKey())
                    .versionId(versionId)
                    .tagging(t -> t.tagSet(tags)));
        List<Tag> stored = replicaTags(versionId);
        if (ReplicaCheck.sameTags(tags, stored)) {
          return Optional.empty();
        }
        return Optional.of(
            mismatch(
                written,
                versionId,
                "the tags are "
                    + ReplicaCheck.describeTags(stored)
                    + " instead of "
                    + ReplicaCheck.describeTags(tags)
                    + ", even after PutObjectTagging"));
      } catch (SdkException e) {
        if (FailureText.status(e) == 501 || "NotImplemented".equals(FailureText.errorCode(e))) {
          return Optional.of(
              TaskResult.failed(
                  REPLICA_MISMATCH,
                  "Destination bucket "
                      + task.destinationBucket()
                      + " does not support object tags ("
                      + checking
                      + ": "
                      + FailureText.of(e)
                      + "), so it cannot hold the tags of "
                      + task.sourceKey()
                      + " version "
                      + task.sourceVersionId()
                      + " ("
                      + ReplicaCheck.describeTags(tags)
                      + "). Replicate to a store with object tags, or remove the tags from the source version, then retry the "
                      + "failed objects. The replica without tags (version "
                      + versionId
                      + ") stays in the destination."));
        }
        throw e;
      }
    }

    private List<Tag> replicaTags(String versionId) {
      checking = "GetObjectTagging of the replica";
      return target
          .getObjectTagging(
              b -> b.bucket(task.destinationBucket()).key(task.sourceKey()).versionId(versionId))
          .tagSet();
    }

    /**
     * The replica does not hold what the source version has, and writing it the same way again
     * would not change that.
     */
    private TaskResult mismatch(Written written, String replicaVersion, String differences) {
      return TaskResult.failed(
          REPLICA_MISMATCH,
          "The replica of "
              + task.sourceKey()
              + " version "
              + task.sourceVersionId()
              + " that "
              + written.request
              + " stored in destination bucket "
              + task.destinationBucket()
              + " does not hold what the source version has: "
              + differences
              + ". "
              + advice(written)
              + " The differing replica (version "
              + replicaVersion
              + ") stays in the destination; a retry writes a new version.");
    }

    /** What to change so that the next attempt stores a faithful replica. */
    private String advice(Written written) {
      return switch (written) {
        case COPY ->
            "The store did not apply the attributes of a server-side copy (CopyObject with REPLACE): "
                + "set REPLICATOR_SERVER_SIDE_COPY=false so copies stream through the worker, then "
                + "retry the failed objects.";
        case MULTIPART, MULTIPART_COPY ->
            "The store did not keep what CreateMultipartUpload sent. Versions larger than "
                + "replicator.worker.multipart-threshold ("
                + settings.multipartThreshold()
                + " bytes) are written as multipart "
                + "uploads: raise it above this version's size (one PUT takes up to 5 GiB), or replicate to a store that keeps "
                + "these attributes, then retry the failed objects.";
        case PUT, EARLIER ->
            "The store does not keep these attributes, so it cannot hold a faithful replica of this "
                + "version: replicate to a store that keeps them, or change them on the source (for example metadata names "
                + "with '_', which some stores turn into '-'), then retry the failed objects.";
      };
    }

    private PutObjectRequest request(
        HeadObjectResponse head, List<Tag> tags, ObjectLocks.Lock lock, String sourceMd5) {
      Map<String, String> metadata = new HashMap<>(head.metadata());
      metadata.put(ReplicaStamp.SOURCE_VERSION_ID, task.sourceVersionId());
      metadata.put(ReplicaStamp.SOURCE_LAST_MODIFIED, task.sourceLastModified().toString());
      PutObjectRequest.Builder request =
          PutObjectRequest.builder()
              .bucket(task.destinationBucket())
              .key(task.sourceKey())
              .contentLength(head.contentLength())
              .contentType(head.contentType())
              .cacheControl(head.cacheControl())
              .contentDisposition(head.contentDisposition())
              .contentEncoding(head.contentEncoding())
              .contentLanguage(head.contentLanguage())
              .metadata(metadata);
      if (head.expires() != null) {
        request.expires(head.expires());
      } else if (head.expiresString() != null && !head.expiresString().isBlank()) {
        // Not an RFC 1123 date (which the SDK's Instant would need, e.g. "0"): sent as the source
        // shows it.
        request.overrideConfiguration(o -> o.putHeader("Expires", head.expiresString()));
      }
      if (!tags.isEmpty()) {
        request.tagging(Tagging.builder().tagSet(tags).build());
      }
      storageClass =
          destination.storageClass() != null
              ? destination.storageClass()
              : head.storageClassAsString();
      if (storageClass != null) {
        request.storageClass(storageClass);
      }
      if (destination.kmsKeyId() != null) {
        request
            .serverSideEncryption(ServerSideEncryption.AWS_KMS)
            .ssekmsKeyId(destination.kmsKeyId());
      } else if ("AES256".equals(head.serverSideEncryptionAsString())) {
        request.serverSideEncryption(ServerSideEncryption.AES256);
      }
      if (lock.mode() != null && lock.retainUntil() != null) {
        request.objectLockMode(lock.mode()).objectLockRetainUntilDate(lock.retainUntil());
      }
      if (lock.legalHold() != null) {
        request.objectLockLegalHoldStatus(lock.legalHold());
      }
      if (sourceMd5 != null
          && destinationTrust.effectiveCompatibility() == Compatibility.S3_COMPATIBLE) {
        request.contentMD5(Base64.getEncoder().encodeToString(HexFormat.of().parseHex(sourceMd5)));
      }
      return request.build();
    }

    /**
     * A task that ends without completing its multipart upload must not leave the upload behind.
     */
    private void abandonUpload() {
      if (task.multipartUploadId() != null) {
        try {
          clients
              .s3(destinationTrust)
              .abortMultipartUpload(
                  b ->
                      b.bucket(task.destinationBucket())
                          .key(task.sourceKey())
                          .uploadId(task.multipartUploadId()));
        } catch (RuntimeException ignored) {
          // already completed or aborted
        }
      }
    }

    /**
     * The source version's grants beyond its owner's (see {@link ObjectAcls}), from the lookup
     * started before the write; its failure is the task's, as reading the source's ACL.
     */
    private List<Grant> sourceGrants(CompletableFuture<List<Grant>> lookup) {
      step = Step.SOURCE_ACL;
      try {
        return lookup.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw AbortedException.builder()
            .message("Interrupted while reading the source version's ACL.")
            .cause(e)
            .build();
      } catch (ExecutionException e) {
        if (e.getCause() instanceof RuntimeException failure) {
          throw failure;
        }
        throw SdkClientException.create(
            "Reading the source version's ACL failed: " + e.getCause(), e.getCause());
      }
    }

    /**
     * The source version's tags; none without a request when its answer ({@code fromGet}: a GET's,
     * else a HEAD's) shows that it has none.
     */
    private List<Tag> sourceTags(S3Client source, HeadObjectResponse head, boolean fromGet) {
      if (!tagCounts.mayHaveTags(sourceTrust, head, fromGet)) {
        return List.of();
      }
      try {
        List<Tag> tags =
            source
                .getObjectTagging(
                    b ->
                        b.bucket(rule.source().bucket())
                            .key(task.sourceKey())
                            .versionId(task.sourceVersionId()))
                .tagSet();
        tagCounts.read(sourceTrust, head, fromGet, tags);
        return tags;
      } catch (SdkException e) {
        if (FailureText.status(e) == 501 || "NotImplemented".equals(FailureText.errorCode(e))) {
          tagCounts.notImplemented(sourceTrust);
          return List.of();
        }
        throw e;
      }
    }

    private boolean matchesTagFilter(List<Tag> tags) {
      Map<String, String> present =
          tags.stream().collect(Collectors.toMap(Tag::key, Tag::value, (a, b) -> b));
      return rule.filter().tags().entrySet().stream()
          .allMatch(t -> t.getValue().equals(present.get(t.getKey())));
    }

    TaskResult failure(Exception error) {
      FailureClassifier.Failure failure =
          FailureClassifier.classify(error, step, checking == null ? storageClass : null);
      String message = checking == null ? failure.message() : checking + ": " + failure.message();
      if (failure.permanent()) {
        abandonUpload();
        return TaskResult.failed(reasonWhileChecking(failure.reason()), message);
      }
      Duration delay = Backoff.delay(task.attempts());
      return failure.throttled() && !step.onSource()
          ? TaskResult.throttled(delay, message)
          : TaskResult.retryLater(delay, message);
    }

    /**
     * A tagging call on the replica that is denied fails for the replica's tags, not for the PUT
     * before it.
     */
    private String reasonWhileChecking(String reason) {
      return checking != null
              && checking.contains("Tagging")
              && reason.equals("DstPutObjectNotPermitted")
          ? "DstPutTaggingNotPermitted"
          : reason;
    }
  }

  /**
   * UploadPartCopy was denied (the destination's credentials may not read the source): copy through
   * the worker.
   */
  private static final class ServerCopyRefused extends RuntimeException {
    ServerCopyRefused() {
      super(null, null, false, false);
    }
  }

  /** What a written replica must hold and carry: checked or set by finishReplica. */
  private record Intended(
      ReplicaCheck.Expected expected,
      List<Tag> tags,
      ObjectLocks.Lock lock,
      CompletableFuture<List<Grant>> grants) {}

  /**
   * How a replica was written, which decides what to change when the store did not keep what was
   * sent.
   */
  private enum Written {
    PUT("PutObject"),
    COPY("CopyObject"),
    MULTIPART("a multipart upload"),
    MULTIPART_COPY("a multipart upload with UploadPartCopy"),
    EARLIER("an earlier attempt");

    private final String request;

    Written(String request) {
      this.request = request;
    }
  }

  /**
   * An ETag that is the MD5 of the bytes: not for multipart uploads ({@code -N}) and not under
   * SSE-KMS.
   */
  static Optional<String> plainMd5(String etag, String serverSideEncryption) {
    if (etag == null || "aws:kms".equals(serverSideEncryption)) {
      return Optional.empty();
    }
    String value = etag.replace("\"", "").toLowerCase(Locale.ROOT);
    return PLAIN_MD5.matcher(value).matches() ? Optional.of(value) : Optional.empty();
  }
}
