package dev.replicator.rule;

import dev.replicator.platform.crypto.SecretUnavailableException;
import dev.replicator.platform.problem.ApiException;
import dev.replicator.trust.FailureText;
import dev.replicator.trust.Trust;
import dev.replicator.trust.client.TrustClients;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;

/**
 * Replication needs versioning on the source, so enabling a rule on an unversioned source is
 * refused, as AWS refuses PutBucketReplication. Destinations are checked when objects are
 * replicated instead.
 */
@Singleton
class SourceVersioningCheck {

  private final TrustClients clients;

  SourceVersioningCheck(TrustClients clients) {
    this.clients = clients;
  }

  void require(Trust trust, String bucket) {
    BucketVersioningStatus status;
    try {
      status = clients.s3(trust).getBucketVersioning(b -> b.bucket(bucket)).status();
    } catch (SecretUnavailableException e) {
      throw new ApiException(HttpStatus.BAD_REQUEST, "source-unreachable", e.getMessage());
    } catch (SdkException e) {
      String code = FailureText.errorCode(e);
      String detail =
          switch (code) {
            case "NoSuchBucket" ->
                "Source bucket " + bucket + " does not exist through trust " + trust.name() + ".";
            case "AccessDenied" ->
                "Trust "
                    + trust.name()
                    + " may not read the versioning state of source bucket "
                    + bucket
                    + ": allow s3:GetBucketVersioning on arn:aws:s3:::"
                    + bucket
                    + ".";
            default ->
                "Source bucket "
                    + bucket
                    + " could not be checked through trust "
                    + trust.name()
                    + ": "
                    + FailureText.of(e)
                    + ".";
          };
      throw new ApiException(
          HttpStatus.BAD_REQUEST,
          "source-unreachable",
          detail
              + " Verify the trust against the bucket (POST .../trusts/{trustId}/verify) to see what to fix.");
    }
    if (status != BucketVersioningStatus.ENABLED) {
      throw new ApiException(
          HttpStatus.BAD_REQUEST,
          "source-not-versioned",
          "Versioning is not enabled on source bucket "
              + bucket
              + "; replication requires it (AWS refuses the same). "
              + "Enable versioning on bucket "
              + bucket
              + " (aws s3api put-bucket-versioning --bucket "
              + bucket
              + " --versioning-configuration Status=Enabled), then create or enable the rule again.");
    }
  }
}
