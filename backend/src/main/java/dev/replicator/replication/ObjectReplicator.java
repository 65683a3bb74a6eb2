package dev.replicator.replication;

import dev.replicator.platform.crypto.SecretUnavailableException;
import dev.replicator.replication.FailureClassifier.Step;
import dev.replicator.rule.Rule;
import dev.replicator.trust.Compatibility;
import dev.replicator.trust.Trust;
import dev.replicator.trust.client.TrustClients;
import dev.replicator.trust.verify.FailureText;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.GetObjectAclResponse;
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
 * Copies one source version to one destination, keeping what S3 Replication keeps: the bytes (verified end to end
 * with MD5 where the ETag allows), content headers, user metadata, tags, Object Lock retention and legal hold, and
 * encryption; the destination's storage class and KMS key override the source's. Delete markers become delete
 * markers. Data streams from source to destination without being held in memory or on disk.
 */
@Singleton
class ObjectReplicator {

  private static final Pattern PLAIN_MD5 = Pattern.compile("[0-9a-f]{32}");
  private static final Duration COPY_REFUSAL_REMEMBERED = Duration.ofMinutes(10);

  /** Trust pairs whose destination credentials may not read the source: copied through the worker for a while. */
  private final Map<String, Instant> serverCopyRefused = new ConcurrentHashMap<>();

  private final TrustClients clients;
  private final DestinationCheck destinations;
  private final WorkerSettings settings;
  private final ObjectLocks locks;

  ObjectReplicator(TrustClients clients, DestinationCheck destinations, WorkerSettings settings, ObjectLocks locks) {
    this.clients = clients;
    this.destinations = destinations;
    this.settings = settings;
    this.locks = locks;
  }

  /** Copies the task's version; throws {@link LeaseLostException} when the lease was lost on the way. */
  TaskResult replicate(
      ReplicationTask task, Rule rule, Trust sourceTrust, Trust destinationTrust, Lease lease, MultipartCopy.Uploads uploads) {
    Optional<Rule.Destination> destination = rule.destinations().stream()
        .filter(d -> d.trustId().equals(task.destinationTrustId()) && d.bucket().equals(task.destinationBucket()))
        .findFirst();
    if (destination.isEmpty()) {
      return TaskResult.skipped("NOT_IN_RULE", "This destination was removed from the rule before the version was copied.");
    }
    Copy copy = new Copy(task, rule, destination.get(), sourceTrust, destinationTrust, lease, uploads);
    try {
      return copy.run();
    } catch (SdkException | SecretUnavailableException e) {
      if (Lease.lostIn(e)) {
        throw new LeaseLostException();
      }
      return copy.failure(e);
    }
  }

  /** One copy of one version, remembering the step it is at so failures get the right reason. */
  private final class Copy {
    private final ReplicationTask task;
    private final Rule rule;
    private final Rule.Destination destination;
    private final Trust sourceTrust;
    private final Trust destinationTrust;
    private final Lease lease;
    private final MultipartCopy.Uploads uploads;
    private Step step = Step.SOURCE_HEAD;
    private S3Client writer;

    Copy(ReplicationTask task, Rule rule, Rule.Destination destination, Trust sourceTrust, Trust destinationTrust, Lease lease,
        MultipartCopy.Uploads uploads) {
      this.task = task;
      this.rule = rule;
      this.destination = destination;
      this.sourceTrust = sourceTrust;
      this.destinationTrust = destinationTrust;
      this.lease = lease;
      this.uploads = uploads;
    }

    TaskResult run() {
      S3Client source = clients.s3(sourceTrust);
      step = Step.DESTINATION_CHECK;
      S3Client target = clients.s3(destinationTrust);
      writer = clients.writer(destinationTrust);
      Optional<TaskResult> unusable = destinations.problem(target, destinationTrust.id() + "/" + task.destinationBucket(),
          task.destinationBucket());
      if (unusable.isPresent()) {
        return unusable.get();
      }
      return task.deleteMarker() ? deleteMarker(target) : object(source, target);
    }

    private TaskResult deleteMarker(S3Client target) {
      if (task.attempts() > 1) {
        Optional<String> existing = latestDestinationDeleteMarker(target);
        if (existing.isPresent()) {
          return TaskResult.alreadyReplicated(existing.get());
        }
      }
      step = Step.DESTINATION_DELETE;
      lease.ensureHeld();
      String versionId = writer.deleteObject(b -> b.bucket(task.destinationBucket()).key(task.sourceKey())).versionId();
      return TaskResult.replicated(versionId);
    }

    private Optional<String> latestDestinationDeleteMarker(S3Client target) {
      return target.listObjectVersions(b -> b.bucket(task.destinationBucket()).prefix(task.sourceKey()).maxKeys(50))
          .deleteMarkers().stream()
          .filter(marker -> marker.key().equals(task.sourceKey()) && Boolean.TRUE.equals(marker.isLatest()))
          .map(marker -> marker.versionId())
          .findFirst();
    }

    private TaskResult object(S3Client source, S3Client target) {
      step = Step.SOURCE_HEAD;
      HeadObjectResponse head = source.headObject(b -> b.bucket(rule.source().bucket()).key(task.sourceKey())
          .versionId(task.sourceVersionId()));
      if (!task.includeReplicas() && ReplicaStamp.isReplica(head.metadata(), head.replicationStatusAsString())) {
        return TaskResult.skipped("REPLICA");
      }
      step = Step.SOURCE_TAGGING;
      List<Tag> tags = source.getObjectTagging(b -> b.bucket(rule.source().bucket()).key(task.sourceKey())
          .versionId(task.sourceVersionId())).tagSet();
      if (!matchesTagFilter(tags)) {
        return TaskResult.skipped("FILTERED", "The version's tags do not match the rule's tag filter.");
      }
      step = Step.SOURCE_HEAD;
      ObjectLocks.Lock lock = locks.of(source, sourceTrust.id() + "/" + rule.source().bucket(), rule.source().bucket(),
          task.sourceKey(), task.sourceVersionId(), head);
      List<Grant> grants = destination.ownerOverride() ? List.of() : sourceGrants(source);
      if (task.attempts() > 1) {
        Optional<String> existing = existingReplica(target);
        if (existing.isPresent()) {
          return TaskResult.alreadyReplicated(finishReplica(existing.get(), lock, grants));
        }
      }
      return put(source, target, head, tags, lock, grants);
    }

    /** After a crash or timeout the first attempt may have succeeded: the latest destination version then carries our stamp. */
    private Optional<String> existingReplica(S3Client target) {
      step = Step.DESTINATION_CHECK;
      try {
        HeadObjectResponse latest = target.headObject(b -> b.bucket(task.destinationBucket()).key(task.sourceKey()));
        return ReplicaStamp.copies(latest.metadata(), task.sourceVersionId()) ? Optional.ofNullable(latest.versionId()) : Optional.empty();
      } catch (SdkException e) {
        if (FailureText.status(e) == 404) {
          return Optional.empty();
        }
        throw e;
      }
    }

    private TaskResult put(S3Client source, S3Client target, HeadObjectResponse head, List<Tag> tags, ObjectLocks.Lock lock,
        List<Grant> grants) {
      step = Step.SOURCE_GET;
      String sourceMd5 = plainMd5(head.eTag(), head.serverSideEncryptionAsString()).orElse(null);
      boolean large = head.contentLength() > settings.multipartThreshold();
      if (serverSideCopyPossible() && !large) {
        Optional<TaskResult> copied = serverSideCopy(head, tags, lock, grants, sourceMd5);
        if (copied.isPresent()) {
          return copied.get();
        }
      }
      if (large) {
        String resume = task.multipartUploadId();
        if (serverSideCopyPossible()) {
          try {
            return multipart(source, target, head, tags, lock, grants, true, resume);
          } catch (SdkException e) {
            if (FailureText.status(e) != 403) {
              throw e;
            }
            refuseServerCopy();
            resume = null;
          }
        }
        return multipart(source, target, head, tags, lock, grants, false, resume);
      }
      try (SourceBody body = new SourceBody(source, b -> b.bucket(rule.source().bucket()).key(task.sourceKey())
          .versionId(task.sourceVersionId()))) {
        PutObjectRequest request = request(head, tags, lock, sourceMd5);
        step = Step.DESTINATION_PUT;
        lease.ensureHeld();
        PutObjectResponse response = writer.putObject(request, RequestBody.fromContentProvider(() -> lease.guard(body.newStream()),
            head.contentLength(),
            head.contentType() == null ? "binary/octet-stream" : head.contentType()));
        String copied = body.md5();
        if (sourceMd5 != null && !sourceMd5.equals(copied)) {
          return TaskResult.retryLater(Duration.ofSeconds(5),
              "The bytes read from the source did not match its ETag; the copy is retried.");
        }
        Optional<String> stored = plainMd5(response.eTag(), response.serverSideEncryptionAsString());
        if (stored.isPresent() && destination.kmsKeyId() == null && !stored.get().equals(copied)) {
          return TaskResult.retryLater(Duration.ofSeconds(5),
              "The destination stored different bytes than were sent (ETag mismatch); the copy is retried.");
        }
        return TaskResult.replicated(finishReplica(response.versionId(), lock, grants));
      }
    }

    private TaskResult multipart(S3Client source, S3Client target, HeadObjectResponse head, List<Tag> tags,
        ObjectLocks.Lock lock, List<Grant> grants, boolean serverSide, String resumeUploadId) {
      PutObjectRequest request = request(head, tags, lock, null);
      step = Step.DESTINATION_PUT;
      MultipartCopy multipart = new MultipartCopy(source, target, writer, rule.source().bucket(), task, head.contentLength(),
          settings.partSizeFor(head.contentLength()), settings.partConcurrency(), serverSide, resumeUploadId, lease);
      return TaskResult.replicated(finishReplica(multipart.run(MultipartRequests.create(request, tags), uploads), lock, grants));
    }

    /**
     * Source and destination on the same AWS-compatible endpoint: the store copies the bytes itself (CopyObject,
     * or UploadPartCopy for large objects) and nothing streams through the worker. Stores declared S3_COMPATIBLE do
     * not get server-side copies, because several of them do not apply replaced metadata correctly on copy.
     */
    private boolean serverSideCopyPossible() {
      Instant refusedUntil = serverCopyRefused.get(pairKey());
      return sourceTrust.effectiveCompatibility() == Compatibility.AWS
          && destinationTrust.effectiveCompatibility() == Compatibility.AWS
          && Objects.equals(sourceTrust.endpoint(), destinationTrust.endpoint())
          && (refusedUntil == null || refusedUntil.isBefore(Instant.now()));
    }

    /** Empty when the destination's credentials may not read the source: the caller then copies through the worker. */
    private Optional<TaskResult> serverSideCopy(HeadObjectResponse head, List<Tag> tags, ObjectLocks.Lock lock,
        List<Grant> grants, String sourceMd5) {
      step = Step.DESTINATION_PUT;
      PutObjectRequest put = request(head, tags, lock, null);
      lease.ensureHeld();
      try {
        CopyObjectResponse response = writer.copyObject(
            MultipartRequests.copy(put, tags, rule.source().bucket(), task.sourceVersionId()));
        Optional<String> stored = plainMd5(response.copyObjectResult().eTag(), response.serverSideEncryptionAsString());
        if (sourceMd5 != null && stored.isPresent() && destination.kmsKeyId() == null && !stored.get().equals(sourceMd5)) {
          return Optional.of(TaskResult.retryLater(Duration.ofSeconds(5),
              "The server-side copy's ETag does not match the source's; the copy is retried."));
        }
        return Optional.of(TaskResult.replicated(finishReplica(response.versionId(), lock, grants)));
      } catch (SdkException e) {
        if (FailureText.status(e) == 403) {
          refuseServerCopy();
          return Optional.empty();
        }
        throw e;
      }
    }

    /** The destination's credentials may not read the source: copy through the worker for a while. */
    private void refuseServerCopy() {
      serverCopyRefused.put(pairKey(), Instant.now().plus(COPY_REFUSAL_REMEMBERED));
    }

    private String pairKey() {
      return sourceTrust.id() + "/" + destinationTrust.id();
    }

    /**
     * What is set on a written replica: its retention and legal hold (explicitly as well, because some compatible
     * stores ignore the Object Lock headers of a PUT) and, without owner override, the source's ACL grants.
     */
    private String finishReplica(String versionId, ObjectLocks.Lock lock, List<Grant> grants) {
      lease.ensureHeld();
      if (!grants.isEmpty()) {
        step = Step.DESTINATION_ACL;
        Owner owner = writer.getObjectAcl(b -> b.bucket(task.destinationBucket()).key(task.sourceKey()).versionId(versionId)).owner();
        List<Grant> all = new ArrayList<>();
        all.add(Grant.builder().grantee(g -> g.type(Type.CANONICAL_USER).id(owner.id())).permission(Permission.FULL_CONTROL).build());
        all.addAll(grants);
        writer.putObjectAcl(b -> b.bucket(task.destinationBucket()).key(task.sourceKey()).versionId(versionId)
            .accessControlPolicy(p -> p.owner(owner).grants(all)));
      }
      if (lock.mode() != null && lock.retainUntil() != null) {
        step = Step.DESTINATION_RETENTION;
        writer.putObjectRetention(b -> b.bucket(task.destinationBucket()).key(task.sourceKey()).versionId(versionId)
            .retention(r -> r.mode(lock.mode()).retainUntilDate(lock.retainUntil())));
      }
      if (lock.legalHold() != null) {
        step = Step.DESTINATION_LEGAL_HOLD;
        writer.putObjectLegalHold(b -> b.bucket(task.destinationBucket()).key(task.sourceKey()).versionId(versionId)
            .legalHold(h -> h.status(lock.legalHold())));
      }
      return versionId;
    }

    private PutObjectRequest request(HeadObjectResponse head, List<Tag> tags, ObjectLocks.Lock lock, String sourceMd5) {
      Map<String, String> metadata = new HashMap<>(head.metadata());
      metadata.put(ReplicaStamp.SOURCE_VERSION_ID, task.sourceVersionId());
      metadata.put(ReplicaStamp.SOURCE_LAST_MODIFIED, task.sourceLastModified().toString());
      PutObjectRequest.Builder request = PutObjectRequest.builder()
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
      }
      if (!tags.isEmpty()) {
        request.tagging(Tagging.builder().tagSet(tags).build());
      }
      String storageClass = destination.storageClass() != null ? destination.storageClass() : head.storageClassAsString();
      if (storageClass != null) {
        request.storageClass(storageClass);
      }
      if (destination.kmsKeyId() != null) {
        request.serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(destination.kmsKeyId());
      } else if ("AES256".equals(head.serverSideEncryptionAsString())) {
        request.serverSideEncryption(ServerSideEncryption.AES256);
      }
      if (lock.mode() != null && lock.retainUntil() != null) {
        request.objectLockMode(lock.mode()).objectLockRetainUntilDate(lock.retainUntil());
      }
      if (lock.legalHold() != null) {
        request.objectLockLegalHoldStatus(lock.legalHold());
      }
      if (sourceMd5 != null && destinationTrust.effectiveCompatibility() == Compatibility.S3_COMPATIBLE) {
        request.contentMD5(Base64.getEncoder().encodeToString(HexFormat.of().parseHex(sourceMd5)));
      }
      return request.build();
    }

    /** A task that ends without completing its multipart upload must not leave the upload behind. */
    private void abandonUpload() {
      if (task.multipartUploadId() != null) {
        try {
          clients.s3(destinationTrust).abortMultipartUpload(b -> b.bucket(task.destinationBucket()).key(task.sourceKey())
              .uploadId(task.multipartUploadId()));
        } catch (RuntimeException ignored) {
          // already completed or aborted
        }
      }
    }

    /**
     * The source version's ACL grants other than its owner's full control: what a replica must carry as well when
     * the destination does not take ownership. Stores without ACL support answer NotImplemented: no grants then.
     */
    private List<Grant> sourceGrants(S3Client source) {
      step = Step.SOURCE_ACL;
      try {
        GetObjectAclResponse acl = source.getObjectAcl(b -> b.bucket(rule.source().bucket()).key(task.sourceKey())
            .versionId(task.sourceVersionId()));
        String ownerId = acl.owner() == null ? null : acl.owner().id();
        return acl.grants().stream()
            .filter(g -> !(g.permission() == Permission.FULL_CONTROL && g.grantee() != null && ownerId != null
                && ownerId.equals(g.grantee().id())))
            .toList();
      } catch (SdkException e) {
        if (FailureText.status(e) == 501 || "NotImplemented".equals(FailureText.errorCode(e))) {
          return List.of();
        }
        throw e;
      }
    }

    private boolean matchesTagFilter(List<Tag> tags) {
      Map<String, String> present = tags.stream().collect(Collectors.toMap(Tag::key, Tag::value, (a, b) -> b));
      return rule.filter().tags().entrySet().stream().allMatch(t -> t.getValue().equals(present.get(t.getKey())));
    }

    TaskResult failure(Exception error) {
      FailureClassifier.Failure failure = FailureClassifier.classify(error, step);
      if (failure.permanent()) {
        abandonUpload();
        return TaskResult.failed(failure.reason(), failure.message());
      }
      Duration delay = Backoff.delay(task.attempts());
      return failure.throttled() && !step.onSource()
          ? TaskResult.throttled(delay, failure.message())
          : TaskResult.retryLater(delay, failure.message());
    }
  }

  /** An ETag that is the MD5 of the bytes: not for multipart uploads ({@code -N}) and not under SSE-KMS. */
  static Optional<String> plainMd5(String etag, String serverSideEncryption) {
    if (etag == null || "aws:kms".equals(serverSideEncryption)) {
      return Optional.empty();
    }
    String value = etag.replace("\"", "").toLowerCase(Locale.ROOT);
    return PLAIN_MD5.matcher(value).matches() ? Optional.of(value) : Optional.empty();
  }

}
