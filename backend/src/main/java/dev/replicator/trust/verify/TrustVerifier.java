package dev.replicator.trust.verify;

import dev.replicator.platform.crypto.SecretUnavailableException;
import dev.replicator.trust.Compatibility;
import dev.replicator.trust.FailureText;
import dev.replicator.trust.Trust;
import dev.replicator.trust.TrustType;
import dev.replicator.trust.client.AwsSettings;
import dev.replicator.trust.client.TrustClients;
import jakarta.inject.Singleton;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ObjectLockConfiguration;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Checks what a rule will need of a trust and a bucket, without changing any data: the credentials
 * (or the role assumption, and the account it lands in), that the bucket exists in the trust's
 * region, versioning, Object Lock, and list, read and write permissions. Each failed check says
 * what to fix. When a check fails that later ones depend on, those are reported as not checked
 * rather than as misleading failures.
 */
@Singleton
public class TrustVerifier {

  /** Error codes that say the access key or secret is wrong, unlike a plain AccessDenied. */
  private static final Set<String> BAD_KEY_CODES =
      Set.of("InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidToken");

  private final TrustClients clients;
  private final AwsSettings settings;
  private final Clock clock;

  public TrustVerifier(TrustClients clients, AwsSettings settings, Clock clock) {
    this.clients = clients;
    this.settings = settings;
    this.clock = clock;
  }

  public VerificationReport verify(Trust trust, String bucket) {
    Instant started = clock.instant();
    Run run = new Run(trust, bucket);
    run.execute();
    return VerificationReport.of(bucket, started, run.accountId, run.checks);
  }

  /** One verification: its checks so far and whether later checks can still run. */
  private final class Run {
    private final Trust trust;
    private final String bucket;
    private final List<Check> checks = new ArrayList<>();
    private String accountId;
    private TrustClients.Clients trustClients;
    private boolean blocked;
    private boolean listBucketsDenied;
    private Optional<ObjectVersion> sampleVersion = Optional.empty();

    Run(Trust trust, String bucket) {
      this.trust = trust;
      this.bucket = bucket;
    }

    void execute() {
      try {
        trustClients = clients.forTrust(trust);
      } catch (SecretUnavailableException e) {
        add(Check.fail("credentials", e.getMessage()));
        return;
      }
      if (trust.type() == TrustType.ASSUME_ROLE) {
        assumeRole();
      } else if (trust.effectiveCompatibility() != Compatibility.AWS || !awsAccessKeys()) {
        storeAccessKeys();
      }
      bucketReachable();
      versioning();
      objectLock();
      list();
      read();
      write();
    }

    private void add(Check check) {
      checks.add(check);
    }

    private void assumeRole() {
      try {
        trustClients.credentials().resolveCredentials();
      } catch (SdkException e) {
        blocked = true;
        add(Check.fail("assume-role", assumeRoleRefused(e)));
        return;
      }
      String assumed = "Assumed " + trust.roleArn() + " with the external ID";
      try {
        accountId = callerAccount(trustClients.credentials(), roleStsEndpoint()).orElse(null);
        add(
            Check.pass(
                "assume-role",
                assumed + (accountId == null ? "." : "; it lands in account " + accountId + ".")));
      } catch (SdkException e) {
        add(
            Check.pass(
                "assume-role",
                assumed
                    + (lacksCallerIdentity(e)
                        ? "; this STS does not offer GetCallerIdentity ("
                            + FailureText.of(e)
                            + "), so the account it lands in is not known."
                        : "; looking up the account it lands in failed ("
                            + FailureText.of(e)
                            + ").")));
      }
    }

    private String assumeRoleRefused(SdkException e) {
      String code = FailureText.errorCode(e);
      boolean storeSts = trust.stsEndpoint() != null && !Compatibility.isAws(trust.stsEndpoint());
      return switch (code) {
        case "AccessDenied" ->
            storeSts
                ? "The trust's STS denied assuming "
                    + trust.roleArn()
                    + " (AssumeRoleNotPermitted). Check that the role's "
                    + "trust policy allows sts:AssumeRole for Replicator's principal. If it is the policy shown on this trust, "
                    + "applying it again will not help: stores other than AWS may not support its sts:ExternalId condition "
                    + "(Ceph RGW 16 denies every AssumeRole under a trust policy with that condition). Do not remove the "
                    + "condition: without it any tenant of this Replicator who learns the role's ARN could have Replicator "
                    + "assume it. Use a STATIC trust instead, with the access key of a user of the store that may do only what "
                    + "replication needs on these buckets."
                : "Replicator may not assume "
                    + trust.roleArn()
                    + " (AssumeRoleNotPermitted). Put the trust "
                    + "policy shown on this trust on the role: it must allow sts:AssumeRole for Replicator's principal with the "
                    + "condition sts:ExternalId = "
                    + trust.externalId()
                    + ".";
        case "NoSuchEntity" ->
            "The role "
                + trust.roleArn()
                + " does not exist at the trust's STS (NoSuchEntity). Check the "
                + "role ARN: Ceph RGW names roles arn:aws:iam:::role/NAME, or arn:aws:iam::TENANT:role/NAME for a role of "
                + "tenant TENANT.";
        case "InvalidClientTokenId", "SignatureDoesNotMatch", "ExpiredToken" ->
            "Replicator's own AWS credentials were "
                + "refused by STS ("
                + code
                + "); the operator must fix the server's credentials.";
        default -> "Assuming " + trust.roleArn() + " failed: " + FailureText.of(e) + ".";
      };
    }

    /**
     * Access keys in AWS mode: GetCallerIdentity names the account. False when the store's STS does
     * not offer it (Ceph RGW answers 405), so that the keys are checked against the store like
     * those of any S3-compatible store.
     */
    private boolean awsAccessKeys() {
      try {
        accountId = callerAccount(trustClients.credentials(), staticStsEndpoint()).orElse(null);
        add(
            Check.pass(
                "credentials",
                "The access key "
                    + trust.accessKeyId()
                    + " is valid"
                    + (accountId == null ? "." : " and belongs to account " + accountId + ".")));
      } catch (SdkException e) {
        if (lacksCallerIdentity(e)) {
          return false;
        }
        blocked = true;
        add(Check.fail("credentials", invalidKeys(e)));
      }
      return true;
    }

    /**
     * Access keys of a store without an identity call: ListBuckets needs no permission on any
     * bucket, so its answer tells a wrong key from a missing bucket permission also where the store
     * says only "403 AccessDenied" for both (Ceph RGW with STS enabled does). Stores that do not
     * answer ListBuckets leave it to the bucket check.
     */
    private void storeAccessKeys() {
      try {
        trustClients.s3().listBuckets();
        add(
            Check.pass(
                "credentials", "The store accepted the access key " + trust.accessKeyId() + "."));
      } catch (SdkException e) {
        String code = FailureText.errorCode(e);
        if (BAD_KEY_CODES.contains(code)) {
          blocked = true;
          add(Check.fail("credentials", invalidKeys(e)));
        } else if (code.equals("AccessDenied")) {
          listBucketsDenied = true;
        }
      }
    }

    private void bucketReachable() {
      if (skipped("bucket")) {
        return;
      }
      S3Client s3 = trustClients.s3();
      try {
        s3.getBucketVersioning(b -> b.bucket(bucket));
        credentialsAcceptedByTheStore();
        add(
            Check.pass(
                "bucket",
                "Bucket " + bucket + " exists and is reachable in region " + trust.region() + "."));
      } catch (SdkException e) {
        String code = FailureText.errorCode(e);
        if (BAD_KEY_CODES.contains(code)) {
          blocked = true;
          add(Check.fail("credentials", invalidKeys(e)));
          skipped("bucket");
          return;
        }
        if (code.equals("AccessDenied") && headBucketOk(s3)) {
          credentialsAcceptedByTheStore();
          add(
              Check.pass(
                  "bucket",
                  "Bucket "
                      + bucket
                      + " exists and is reachable in region "
                      + trust.region()
                      + "."));
          return;
        }
        if (code.equals("AccessDenied") && staticKeysNotShown()) {
          if (listBucketsDenied) {
            blocked = true;
            add(
                Check.fail(
                    "credentials",
                    "The store refused the access key "
                        + trust.accessKeyId()
                        + " with 403 "
                        + "AccessDenied for every request, even ListBuckets, which needs no permission on any bucket. Ceph RGW "
                        + "answers a wrong secret or an unknown access key like this: check the access key ID and save the trust "
                        + "again with the right secret. If both are right, the key's user may not do anything here: allow "
                        + "s3:ListAllMyBuckets, and s3:ListBucket and s3:GetBucketVersioning on arn:aws:s3:::"
                        + bucket
                        + "."));
            skipped("bucket");
            return;
          }
          add(
              Check.undetermined(
                  "credentials",
                  "The store answered 403 AccessDenied for bucket "
                      + bucket
                      + " and does not "
                      + "answer ListBuckets, so a wrong access key or secret cannot be told apart from a missing bucket "
                      + "permission: check both."));
        } else if (FailureText.status(e) > 0 && FailureText.status(e) < 500) {
          credentialsAcceptedByTheStore();
        }
        if (serverError(e)) {
          add(
              headBucketOk(s3)
                  ? Check.pass(
                      "bucket",
                      "Bucket "
                          + bucket
                          + " exists and is reachable in region "
                          + trust.region()
                          + ".")
                  : undetermined("bucket", "GetBucketVersioning on bucket " + bucket, e));
          return;
        }
        blocked = true;
        add(
            Check.fail(
                "bucket",
                switch (code) {
                  case "NoSuchBucket" ->
                      "Bucket "
                          + bucket
                          + " does not exist at "
                          + where()
                          + ". Create it, or correct the name.";
                  case "PermanentRedirect",
                      "AuthorizationHeaderMalformed",
                      "IllegalLocationConstraintException" ->
                      "Bucket "
                          + bucket
                          + " is not in region "
                          + trust.region()
                          + regionHint(e)
                          + ".";
                  case "AccessDenied" ->
                      "Bucket "
                          + bucket
                          + " cannot be accessed with these credentials: allow s3:ListBucket and "
                          + "s3:GetBucketVersioning on arn:aws:s3:::"
                          + bucket
                          + ".";
                  default ->
                      "Bucket " + bucket + " could not be reached: " + FailureText.of(e) + ".";
                }));
      }
    }

    /** A STATIC trust's keys whose validity no check has reported yet. */
    private boolean staticKeysNotShown() {
      return trust.type() == TrustType.STATIC
          && checks.stream().noneMatch(c -> c.name().equals("credentials"));
    }

    /** The store answered a request other than with a refusal of the keys: it took them. */
    private void credentialsAcceptedByTheStore() {
      if (staticKeysNotShown()) {
        add(
            Check.pass(
                "credentials", "The store accepted the access key " + trust.accessKeyId() + "."));
      }
    }

    private boolean headBucketOk(S3Client s3) {
      try {
        s3.headBucket(b -> b.bucket(bucket));
        return true;
      } catch (SdkException e) {
        return false;
      }
    }

    private void versioning() {
      if (skipped("versioning")) {
        return;
      }
      try {
        BucketVersioningStatus status =
            trustClients.s3().getBucketVersioning(b -> b.bucket(bucket)).status();
        if (status == BucketVersioningStatus.ENABLED) {
          add(Check.pass("versioning", "Versioning is enabled on bucket " + bucket + "."));
        } else {
          add(
              Check.fail(
                  "versioning",
                  "Versioning is "
                      + (status == null ? "not enabled" : "suspended")
                      + " on bucket "
                      + bucket
                      + "; replication needs it enabled on the source and every destination. Enable versioning on bucket "
                      + bucket
                      + " (aws s3api put-bucket-versioning --bucket "
                      + bucket
                      + " --versioning-configuration Status=Enabled)."));
        }
      } catch (SdkException e) {
        if (FailureText.status(e) == 501 || FailureText.errorCode(e).equals("NotImplemented")) {
          add(
              Check.fail(
                  "versioning",
                  "This store does not offer versioning (GetBucketVersioning: "
                      + FailureText.of(e)
                      + "); replication needs versioned buckets at both ends, so this store cannot take part."));
        } else {
          add(
              serverError(e)
                  ? undetermined("versioning", "GetBucketVersioning on bucket " + bucket, e)
                  : Check.fail(
                      "versioning", denied(e, "s3:GetBucketVersioning", "arn:aws:s3:::" + bucket)));
        }
      }
    }

    private void objectLock() {
      if (skipped("object-lock")) {
        return;
      }
      try {
        ObjectLockConfiguration lock =
            trustClients
                .s3()
                .getObjectLockConfiguration(b -> b.bucket(bucket))
                .objectLockConfiguration();
        if (lock != null
            && lock.objectLockEnabledAsString() != null
            && lock.objectLockEnabledAsString().equals("Enabled")) {
          var retention = lock.rule() == null ? null : lock.rule().defaultRetention();
          add(
              Check.pass(
                  "object-lock",
                  "Object Lock is enabled on bucket "
                      + bucket
                      + (retention == null
                          ? " with no default retention."
                          : " with default retention "
                              + retention.modeAsString()
                              + " "
                              + (retention.days() != null
                                  ? retention.days() + " days."
                                  : retention.years() + " years."))));
        } else {
          add(Check.pass("object-lock", "Object Lock is not enabled on bucket " + bucket + "."));
        }
      } catch (SdkException e) {
        String code = FailureText.errorCode(e);
        // AWS answers 404 ObjectLockConfigurationNotFoundError; several compatible stores answer
        // 400 InvalidRequest.
        if (code.equals("ObjectLockConfigurationNotFoundError")
            || code.equals("InvalidRequest")
            || FailureText.status(e) == 404) {
          add(
              Check.pass(
                  "object-lock",
                  "Object Lock is not enabled on bucket "
                      + bucket
                      + ". Locked source objects can only be replicated to a bucket with Object Lock enabled."));
        } else if (code.equals("NotImplemented") || FailureText.status(e) == 501) {
          add(Check.pass("object-lock", "This store does not support Object Lock."));
        } else if (serverError(e)) {
          add(undetermined("object-lock", "GetObjectLockConfiguration on bucket " + bucket, e));
        } else {
          add(
              Check.fail(
                  "object-lock",
                  denied(e, "s3:GetBucketObjectLockConfiguration", "arn:aws:s3:::" + bucket)));
        }
      }
    }

    private void list() {
      if (skipped("list")) {
        return;
      }
      try {
        var versions = trustClients.s3().listObjectVersions(b -> b.bucket(bucket).maxKeys(10));
        sampleVersion = versions.versions().stream().findFirst();
        add(Check.pass("list", "Listing object versions is allowed (s3:ListBucketVersions)."));
      } catch (SdkException e) {
        if (serverError(e)) {
          add(undetermined("list", "ListObjectVersions on bucket " + bucket, e));
          return;
        }
        add(
            Check.fail(
                "list",
                denied(e, "s3:ListBucketVersions", "arn:aws:s3:::" + bucket)
                    + " Replication lists versions to find changes and to check for existing replicas."));
      }
    }

    private void read() {
      if (skipped("read")) {
        return;
      }
      if (sampleVersion.isEmpty()) {
        add(
            Check.pass(
                "read",
                "Bucket "
                    + bucket
                    + " has no object versions to probe reading with; as a source it needs "
                    + "s3:GetObjectVersion, s3:GetObjectVersionTagging and s3:GetObjectVersionAcl on arn:aws:s3:::"
                    + bucket
                    + "/*."));
        return;
      }
      ObjectVersion version = sampleVersion.get();
      try {
        trustClients
            .s3()
            .headObject(b -> b.bucket(bucket).key(version.key()).versionId(version.versionId()));
        add(Check.pass("read", "Reading object versions is allowed (s3:GetObjectVersion)."));
      } catch (SdkException e) {
        if (serverError(e)) {
          add(undetermined("read", "HeadObject on a sample version", e));
          return;
        }
        add(
            Check.fail(
                "read",
                FailureText.status(e) == 403
                    ? "Reading object versions is not allowed: allow s3:GetObjectVersion, s3:GetObjectVersionTagging and "
                        + "s3:GetObjectVersionAcl on arn:aws:s3:::"
                        + bucket
                        + "/* (needed on a source)."
                    : "Reading a sample version failed: " + FailureText.of(e) + "."));
      }
    }

    /**
     * Uploads a part to an upload that does not exist: permitted writers get NoSuchUpload, and
     * nothing is stored.
     */
    private void write() {
      if (skipped("write")) {
        return;
      }
      try {
        trustClients
            .s3()
            .uploadPart(
                b ->
                    b.bucket(bucket)
                        .key(".replicator/permission-probe")
                        .uploadId(UUID.randomUUID().toString())
                        .partNumber(1),
                RequestBody.fromBytes(new byte[0]));
        add(Check.pass("write", "Writing objects is allowed (s3:PutObject)."));
      } catch (SdkException e) {
        String code = FailureText.errorCode(e);
        if (code.equals("NoSuchUpload") || FailureText.status(e) == 404) {
          add(
              Check.pass(
                  "write",
                  "Writing objects is allowed (s3:PutObject; probed without storing anything)."));
        } else if (serverError(e)) {
          add(
              undetermined(
                  "write", "The write probe (UploadPart to an upload that does not exist)", e));
        } else if (FailureText.status(e) == 403) {
          add(
              Check.fail(
                  "write",
                  "Writing objects is not allowed: allow s3:PutObject, s3:PutObjectTagging and "
                      + "s3:PutObjectAcl on arn:aws:s3:::"
                      + bucket
                      + "/* (needed on a destination)."));
        } else {
          add(Check.fail("write", "Probing write permission failed: " + FailureText.of(e) + "."));
        }
      }
    }

    private boolean skipped(String name) {
      if (blocked) {
        add(Check.notChecked(name));
      }
      return blocked;
    }

    /**
     * A probe that got a server error: no evidence of a missing permission, so the check is not
     * determined.
     */
    private Check undetermined(String name, String probe, SdkException e) {
      return Check.undetermined(
          name,
          "Not determined: "
              + probe
              + " got a server error ("
              + FailureText.of(e)
              + "), which is no evidence of a missing permission. Verify again later; if the answer stays the same, this "
              + "store does not support the probe, and what it checks must be confirmed on the store itself.");
    }

    /** The STS a role is assumed with: the trust's own, else the server's (null for AWS STS). */
    private String roleStsEndpoint() {
      return trust.stsEndpoint() != null
          ? trust.stsEndpoint()
          : blankToNull(settings.stsEndpoint());
    }

    /**
     * Where static keys are asked for their identity: the store itself when it is not AWS (RGW and
     * MinIO answer STS on their S3 endpoint), never AWS STS with another store's keys.
     */
    private String staticStsEndpoint() {
      return Compatibility.isAws(trust.endpoint())
          ? blankToNull(settings.stsEndpoint())
          : trust.endpoint();
    }

    /**
     * GetCallerIdentity with these credentials at {@code endpoint} (null: AWS STS). Endpoints a
     * tenant named connect through the trust's guarded HTTP client, like its S3 calls.
     */
    private Optional<String> callerAccount(AwsCredentialsProvider credentials, String endpoint) {
      var builder =
          StsClient.builder()
              .credentialsProvider(credentials)
              .region(Region.of(trust.region()))
              .overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(1)));
      if (endpoint != null) {
        builder.endpointOverride(URI.create(endpoint));
      }
      if (endpoint != null
          && (endpoint.equals(trust.stsEndpoint()) || endpoint.equals(trust.endpoint()))) {
        builder.httpClient(trustClients.http());
      }
      try (StsClient sts = builder.build()) {
        return Optional.ofNullable(sts.getCallerIdentity().account());
      }
    }

    /**
     * An STS without GetCallerIdentity: Ceph RGW 16 answers 405 MethodNotAllowed, others 501 or
     * InvalidAction.
     */
    private static boolean lacksCallerIdentity(SdkException e) {
      int status = FailureText.status(e);
      return status == 405
          || status == 501
          || Set.of("MethodNotAllowed", "NotImplemented", "InvalidAction")
              .contains(FailureText.errorCode(e));
    }

    private static boolean serverError(SdkException e) {
      return FailureText.status(e) >= 500;
    }

    private static String blankToNull(String value) {
      return value == null || value.isBlank() ? null : value;
    }

    private String invalidKeys(SdkException e) {
      return switch (FailureText.errorCode(e)) {
        case "InvalidAccessKeyId", "InvalidClientTokenId" ->
            "The access key ID "
                + trust.accessKeyId()
                + " is not valid for this store. Check it, and that the trust's endpoint is the store the key belongs to.";
        case "SignatureDoesNotMatch" ->
            "The secret access key does not match the access key ID "
                + trust.accessKeyId()
                + ". Save the trust again with the right secret.";
        default -> "The credentials were refused: " + FailureText.of(e) + ".";
      };
    }

    private String denied(SdkException e, String action, String resource) {
      return FailureText.status(e) == 403
          ? "Access denied: allow " + action + " on " + resource + "."
          : "The check failed: " + FailureText.of(e) + ".";
    }

    private String where() {
      return trust.endpoint() == null ? "AWS S3 in region " + trust.region() : trust.endpoint();
    }

    private String regionHint(SdkException e) {
      if (e instanceof software.amazon.awssdk.services.s3.model.S3Exception s3e) {
        Optional<String> region =
            s3e.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("x-amz-bucket-region");
        if (region.isPresent()) {
          return ": it is in " + region.get() + ". Set the trust's region to " + region.get();
        }
      }
      return ": set the trust's region to the bucket's region";
    }
  }
}
