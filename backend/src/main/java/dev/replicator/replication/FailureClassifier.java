package dev.replicator.replication;

import dev.replicator.platform.crypto.SecretUnavailableException;
import dev.replicator.trust.FailureText;
import dev.replicator.trust.guard.EndpointRefusedException;
import java.util.Set;

/**
 * Sorts errors into transient ones (retried with backoff) and permanent ones, which fail the task
 * at once with the AWS replication failure reason that names what to fix.
 */
final class FailureClassifier {

  /** Where in the copy an error happened, which decides the failure reason. */
  enum Step {
    SOURCE_HEAD("SrcHeadObjectNotPermitted"),
    SOURCE_TAGGING("SrcGetTaggingNotPermitted"),
    SOURCE_ACL("SrcGetAclNotPermitted"),
    SOURCE_GET("SrcGetObjectNotPermitted"),
    /**
     * Listing the key's versions to order them (s3:ListBucketVersions); not an AWS code, as AWS
     * needs no listing.
     */
    SOURCE_LIST("SrcListBucketNotPermitted"),
    DESTINATION_CHECK("DstBucketNotFound"),
    DESTINATION_PUT("DstPutObjectNotPermitted"),
    DESTINATION_RETENTION("DstPutRetentionNotPermitted"),
    DESTINATION_LEGAL_HOLD("DstPutLegalHoldNotPermitted"),
    DESTINATION_ACL("DstPutAclNotPermitted"),
    DESTINATION_DELETE("DstDelObjNotPermitted");

    private final String deniedReason;

    Step(String deniedReason) {
      this.deniedReason = deniedReason;
    }

    boolean onSource() {
      return name().startsWith("SOURCE");
    }
  }

  /**
   * A classified error: permanent ones carry a failure reason; throttled ones ask to slow down the
   * whole destination.
   */
  record Failure(boolean permanent, String reason, String message, boolean throttled) {}

  private static final Set<String> THROTTLING_CODES =
      Set.of(
          "SlowDown",
          "Throttling",
          "ThrottlingException",
          "RequestLimitExceeded",
          "TooManyRequestsException");

  private static final Set<String> TRANSIENT_CODES =
      Set.of(
          "SlowDown",
          "Throttling",
          "ThrottlingException",
          "RequestTimeout",
          "RequestTimeTooSkewed",
          "InternalError",
          "ServiceUnavailable",
          "ExpiredToken",
          "RequestLimitExceeded",
          "TooManyRequestsException",
          "OperationAborted",
          "BadDigest",
          "IncompleteBody");

  private FailureClassifier() {}

  static Failure classify(Exception error, Step step) {
    return classify(error, step, null);
  }

  /**
   * Classifies an error of a step that sent {@code storageClass} (null: none), so that a store that
   * does not offer the class is named as the cause: Ceph RGW answers an unknown storage class with
   * a bare 400 InvalidArgument, AWS with InvalidStorageClass.
   */
  static Failure classify(Exception error, Step step, String storageClass) {
    if (error instanceof SecretUnavailableException) {
      return permanent(
          step.onSource() ? "SrcGetObjectNotPermitted" : "DstPutObjectNotPermitted",
          error.getMessage());
    }
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof EndpointRefusedException refused) {
        return permanent(
            "InitiateReplicationNotPermitted",
            "The endpoint guard refused the connection: the host " + refused.reason());
      }
    }
    String code = FailureText.errorCode(error);
    int status = FailureText.status(error);
    String message = FailureText.of(error);
    if (code.equals("AccessDenied") && isStsError(error)) {
      return permanent(
          "AssumeRoleNotPermitted", "Replicator may not assume the trust's role: " + message);
    }
    if (TRANSIENT_CODES.contains(code) || status >= 500 || status == 429 || status == 408) {
      return new Failure(
          false, null, message, THROTTLING_CODES.contains(code) || status == 503 || status == 429);
    }
    if (status == 0) {
      return new Failure(false, null, message, false);
    }
    if (step == Step.DESTINATION_PUT
        && storageClass != null
        && !storageClass.equals("STANDARD")
        && (code.equals("InvalidStorageClass")
            || (status == 400 && code.equals("InvalidArgument")))) {
      return permanent(
          step.deniedReason,
          "The destination store does not offer storage class "
              + storageClass
              + " ("
              + message
              + "). Set the rule destination's storageClass to one the store offers (STANDARD on Ceph RGW, unless its operator "
              + "added others); without one, a replica keeps the source version's class. Then retry the failed objects.");
    }
    return switch (code) {
      case "NoSuchBucket" ->
          permanent(step.onSource() ? "SrcBucketNotFound" : "DstBucketNotFound", message);
      case "NoSuchKey", "NoSuchVersion" -> permanent("SrcKeyNotFound", message);
      case "KMS.NotFoundException" ->
          permanent(step.onSource() ? "SrcKmsKeyNotFound" : "DstKmsKeyNotFound", message);
      case "KMS.DisabledException", "KMS.KMSInvalidStateException" ->
          permanent(step.onSource() ? "SrcKmsKeyInvalidState" : "DstKmsKeyInvalidState", message);
      case "PermanentRedirect", "AuthorizationHeaderMalformed" ->
          permanent(step.onSource() ? "SrcBucketInvalidRegion" : "DstBucketInvalidRegion", message);
      default ->
          status == 404 && step.onSource()
              ? permanent("SrcKeyNotFound", message)
              : status == 404 && step == Step.DESTINATION_CHECK
                  ? permanent("DstBucketNotFound", message)
                  : permanent(step.deniedReason, message);
    };
  }

  private static boolean isStsError(Exception error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t.getClass().getName().startsWith("software.amazon.awssdk.services.sts")) {
        return true;
      }
    }
    return false;
  }

  private static Failure permanent(String reason, String message) {
    return new Failure(true, reason, message, false);
  }
}
