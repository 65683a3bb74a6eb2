package dev.replicator.trust.verify;

import dev.replicator.platform.crypto.SecretUnavailableException;
import dev.replicator.trust.Compatibility;
import dev.replicator.trust.Trust;
import dev.replicator.trust.TrustType;
import dev.replicator.trust.client.AwsSettings;
import dev.replicator.trust.client.TrustClients;
import jakarta.inject.Singleton;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
 * Checks what a rule will need of a trust and a bucket, without changing any data: the credentials (or the role
 * assumption, and the account it lands in), that the bucket exists in the trust's region, versioning, Object Lock,
 * and list, read and write permissions. Each failed check says what to fix. When a check fails that later ones
 * depend on, those are reported as not checked rather than as misleading failures.
 */
@Singleton
public class TrustVerifier {

  private final TrustClients clients;
  private final AwsSettings settings;

  public TrustVerifier(TrustClients clients, AwsSettings settings) {
    this.clients = clients;
    this.settings = settings;
  }

  public VerificationReport verify(Trust trust, String bucket) {
    Run run = new Run(trust, bucket);
    run.execute();
    return VerificationReport.of(run.accountId, run.checks);
  }

  /** One verification: its checks so far and whether later checks can still run. */
  private final class Run {
    private final Trust trust;
    private final String bucket;
    private final List<Check> checks = new ArrayList<>();
    private String accountId;
    private TrustClients.Clients trustClients;
    private boolean blocked;
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
      } else if (trust.effectiveCompatibility() == Compatibility.AWS) {
        awsAccessKeys();
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
        accountId = callerAccount(trustClients.credentials()).orElse(null);
        add(Check.pass("assume-role", "Assumed " + trust.roleArn() + " with the external ID"
            + (accountId == null ? "." : "; it lands in account " + accountId + ".")));
      } catch (SdkException e) {
        blocked = true;
        String code = FailureText.errorCode(e);
        add(Check.fail("assume-role", switch (code) {
          case "AccessDenied" -> "Replicator may not assume " + trust.roleArn() + " (AssumeRoleNotPermitted). Put the trust "
              + "policy shown on this trust on the role: it must allow sts:AssumeRole for Replicator's principal with the "
              + "condition sts:ExternalId = " + trust.externalId() + ".";
          case "InvalidClientTokenId", "SignatureDoesNotMatch", "ExpiredToken" -> "Replicator's own AWS credentials were "
              + "refused by STS (" + code + "); the operator must fix the server's credentials.";
          default -> "Assuming " + trust.roleArn() + " failed: " + FailureText.of(e) + ".";
        }));
      }
    }

    private void awsAccessKeys() {
      try {
        accountId = callerAccount(trustClients.credentials()).orElse(null);
        add(Check.pass("credentials", "The access key " + trust.accessKeyId() + " is valid"
            + (accountId == null ? "." : " and belongs to account " + accountId + ".")));
      } catch (SdkException e) {
        blocked = true;
        add(Check.fail("credentials", invalidKeys(e)));
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
        add(Check.pass("bucket", "Bucket " + bucket + " exists and is reachable in region " + trust.region() + "."));
      } catch (SdkException e) {
        String code = FailureText.errorCode(e);
        if (code.equals("InvalidAccessKeyId") || code.equals("SignatureDoesNotMatch") || code.equals("InvalidToken")) {
          blocked = true;
          add(Check.fail("credentials", invalidKeys(e)));
          skipped("bucket");
          return;
        }
        if (FailureText.status(e) > 0) {
          credentialsAcceptedByTheStore();
        }
        if (code.equals("AccessDenied") && headBucketOk(s3)) {
          add(Check.pass("bucket", "Bucket " + bucket + " exists and is reachable in region " + trust.region() + "."));
          return;
        }
        blocked = true;
        add(Check.fail("bucket", switch (code) {
          case "NoSuchBucket" -> "Bucket " + bucket + " does not exist at " + where() + ". Create it, or correct the name.";
          case "PermanentRedirect", "AuthorizationHeaderMalformed", "IllegalLocationConstraintException" ->
              "Bucket " + bucket + " is not in region " + trust.region() + regionHint(e) + ".";
          case "AccessDenied" -> "Bucket " + bucket + " cannot be accessed with these credentials: allow s3:ListBucket and "
              + "s3:GetBucketVersioning on arn:aws:s3:::" + bucket + ".";
          default -> "Bucket " + bucket + " could not be reached: " + FailureText.of(e) + ".";
        }));
      }
    }

    /** Access keys for stores other than AWS have no identity call; the store answering at all shows it took them. */
    private void credentialsAcceptedByTheStore() {
      if (trust.type() == TrustType.STATIC && trust.effectiveCompatibility() != Compatibility.AWS) {
        add(Check.pass("credentials", "The store accepted the access key " + trust.accessKeyId() + "."));
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
        BucketVersioningStatus status = trustClients.s3().getBucketVersioning(b -> b.bucket(bucket)).status();
        if (status == BucketVersioningStatus.ENABLED) {
          add(Check.pass("versioning", "Versioning is enabled on bucket " + bucket + "."));
        } else {
          add(Check.fail("versioning", "Versioning is " + (status == null ? "not enabled" : "suspended") + " on bucket " + bucket
              + "; replication needs it enabled on the source and every destination. Enable versioning on bucket " + bucket
              + " (aws s3api put-bucket-versioning --bucket " + bucket + " --versioning-configuration Status=Enabled)."));
        }
      } catch (SdkException e) {
        add(Check.fail("versioning", denied(e, "s3:GetBucketVersioning", "arn:aws:s3:::" + bucket)));
      }
    }

    private void objectLock() {
      if (skipped("object-lock")) {
        return;
      }
      try {
        ObjectLockConfiguration lock = trustClients.s3().getObjectLockConfiguration(b -> b.bucket(bucket)).objectLockConfiguration();
        if (lock != null && lock.objectLockEnabledAsString() != null && lock.objectLockEnabledAsString().equals("Enabled")) {
          var retention = lock.rule() == null ? null : lock.rule().defaultRetention();
          add(Check.pass("object-lock", "Object Lock is enabled on bucket " + bucket
              + (retention == null ? " with no default retention." : " with default retention " + retention.modeAsString() + " "
                  + (retention.days() != null ? retention.days() + " days." : retention.years() + " years."))));
        } else {
          add(Check.pass("object-lock", "Object Lock is not enabled on bucket " + bucket + "."));
        }
      } catch (SdkException e) {
        String code = FailureText.errorCode(e);
        // AWS answers 404 ObjectLockConfigurationNotFoundError; several compatible stores answer 400 InvalidRequest.
        if (code.equals("ObjectLockConfigurationNotFoundError") || code.equals("InvalidRequest") || FailureText.status(e) == 404) {
          add(Check.pass("object-lock", "Object Lock is not enabled on bucket " + bucket
              + ". Locked source objects can only be replicated to a bucket with Object Lock enabled."));
        } else if (code.equals("NotImplemented") || FailureText.status(e) == 501) {
          add(Check.pass("object-lock", "This store does not support Object Lock."));
        } else {
          add(Check.fail("object-lock", denied(e, "s3:GetBucketObjectLockConfiguration", "arn:aws:s3:::" + bucket)));
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
        add(Check.fail("list", denied(e, "s3:ListBucketVersions", "arn:aws:s3:::" + bucket)
            + " Replication lists versions to find changes and to check for existing replicas."));
      }
    }

    private void read() {
      if (skipped("read")) {
        return;
      }
      if (sampleVersion.isEmpty()) {
        add(Check.pass("read", "Bucket " + bucket + " has no object versions to probe reading with; as a source it needs "
            + "s3:GetObjectVersion, s3:GetObjectVersionTagging and s3:GetObjectVersionAcl on arn:aws:s3:::" + bucket + "/*."));
        return;
      }
      ObjectVersion version = sampleVersion.get();
      try {
        trustClients.s3().headObject(b -> b.bucket(bucket).key(version.key()).versionId(version.versionId()));
        add(Check.pass("read", "Reading object versions is allowed (s3:GetObjectVersion)."));
      } catch (SdkException e) {
        add(Check.fail("read", FailureText.status(e) == 403
            ? "Reading object versions is not allowed: allow s3:GetObjectVersion, s3:GetObjectVersionTagging and "
                + "s3:GetObjectVersionAcl on arn:aws:s3:::" + bucket + "/* (needed on a source)."
            : "Reading a sample version failed: " + FailureText.of(e) + "."));
      }
    }

    /** Uploads a part to an upload that does not exist: permitted writers get NoSuchUpload, and nothing is stored. */
    private void write() {
      if (skipped("write")) {
        return;
      }
      try {
        trustClients.s3().uploadPart(
            b -> b.bucket(bucket).key(".replicator/permission-probe").uploadId(UUID.randomUUID().toString()).partNumber(1),
            RequestBody.fromBytes(new byte[0]));
        add(Check.pass("write", "Writing objects is allowed (s3:PutObject)."));
      } catch (SdkException e) {
        String code = FailureText.errorCode(e);
        if (code.equals("NoSuchUpload") || FailureText.status(e) == 404) {
          add(Check.pass("write", "Writing objects is allowed (s3:PutObject; probed without storing anything)."));
        } else if (FailureText.status(e) == 403) {
          add(Check.fail("write", "Writing objects is not allowed: allow s3:PutObject, s3:PutObjectTagging and "
              + "s3:PutObjectAcl on arn:aws:s3:::" + bucket + "/* (needed on a destination)."));
        } else {
          add(Check.fail("write", "Probing write permission failed: " + FailureText.of(e) + "."));
        }
      }
    }

    private boolean skipped(String name) {
      if (blocked) {
        add(Check.fail(name, "Not checked: an earlier check failed; fix it and verify again."));
      }
      return blocked;
    }

    private Optional<String> callerAccount(AwsCredentialsProvider credentials) {
      var builder = StsClient.builder().credentialsProvider(credentials)
          .region(Region.of(trust.region()));
      String endpoint = trust.stsEndpoint() != null ? trust.stsEndpoint() : settings.stsEndpoint();
      if (endpoint != null && !endpoint.isBlank()) {
        builder.endpointOverride(URI.create(endpoint));
      }
      try (StsClient sts = builder.build()) {
        return Optional.ofNullable(sts.getCallerIdentity().account());
      }
    }

    private String invalidKeys(SdkException e) {
      return switch (FailureText.errorCode(e)) {
        case "InvalidAccessKeyId", "InvalidClientTokenId" -> "The access key ID " + trust.accessKeyId()
            + " is not valid for this store. Check it, and that the trust's endpoint is the store the key belongs to.";
        case "SignatureDoesNotMatch" -> "The secret access key does not match the access key ID " + trust.accessKeyId()
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
        Optional<String> region = s3e.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("x-amz-bucket-region");
        if (region.isPresent()) {
          return ": it is in " + region.get() + ". Set the trust's region to " + region.get();
        }
      }
      return ": set the trust's region to the bucket's region";
    }
  }
}
