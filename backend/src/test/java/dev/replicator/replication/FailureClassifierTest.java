package dev.replicator.replication;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replicator.replication.FailureClassifier.Step;
import java.net.ConnectException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

class FailureClassifierTest {

  static S3Exception s3(int status, String code) {
    return (S3Exception)
        S3Exception.builder()
            .statusCode(status)
            .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(code).build())
            .build();
  }

  @ParameterizedTest(name = "{0} {1} at {2} -> {3}")
  @CsvSource({
    "404, NoSuchBucket, DESTINATION_CHECK, DstBucketNotFound",
    "404, NoSuchBucket, SOURCE_HEAD, SrcBucketNotFound",
    "404, NoSuchVersion, SOURCE_HEAD, SrcKeyNotFound",
    "403, AccessDenied, DESTINATION_PUT, DstPutObjectNotPermitted",
    "403, AccessDenied, SOURCE_GET, SrcGetObjectNotPermitted",
    "403, AccessDenied, SOURCE_TAGGING, SrcGetTaggingNotPermitted",
    "403, AccessDenied, SOURCE_LIST, SrcListBucketNotPermitted",
    "403, AccessDenied, DESTINATION_DELETE, DstDelObjNotPermitted",
    "400, KMS.NotFoundException, DESTINATION_PUT, DstKmsKeyNotFound",
    "301, PermanentRedirect, DESTINATION_PUT, DstBucketInvalidRegion"
  })
  void permanentErrorsGetTheAwsFailureReason(int status, String code, Step step, String reason) {
    FailureClassifier.Failure failure = FailureClassifier.classify(s3(status, code), step);
    assertThat(failure.permanent()).isTrue();
    assertThat(failure.reason()).isEqualTo(reason);
  }

  @ParameterizedTest(name = "{0} {1} for storage class {2}")
  @CsvSource({"400, InvalidArgument, STANDARD_IA", "400, InvalidStorageClass, GLACIER"})
  void aStorageClassTheDestinationDoesNotOfferIsNamedAsTheCause(
      int status, String code, String storageClass) {
    FailureClassifier.Failure failure =
        FailureClassifier.classify(s3(status, code), Step.DESTINATION_PUT, storageClass);
    assertThat(failure.permanent()).isTrue();
    assertThat(failure.reason()).isEqualTo("DstPutObjectNotPermitted");
    assertThat(failure.message())
        .contains("does not offer storage class " + storageClass)
        .contains(code)
        .contains("storageClass");
  }

  @ParameterizedTest(name = "{0} {1} for storage class {2}")
  @CsvSource({"400, InvalidArgument, STANDARD", "403, AccessDenied, STANDARD_IA"})
  void otherRefusalsOfAPutAreNotBlamedOnTheStorageClass(
      int status, String code, String storageClass) {
    FailureClassifier.Failure failure =
        FailureClassifier.classify(s3(status, code), Step.DESTINATION_PUT, storageClass);
    assertThat(failure.reason()).isEqualTo("DstPutObjectNotPermitted");
    assertThat(failure.message()).doesNotContain("storage class");
  }

  @ParameterizedTest(name = "{0} {1} -> throttled={2}")
  @CsvSource({
    "503, SlowDown, true",
    "500, InternalError, false",
    "429, TooManyRequestsException, true",
    "400, RequestTimeout, false",
    "400, ExpiredToken, false"
  })
  void transientErrorsAreRetriedAndThrottlingSlowsTheDestination(
      int status, String code, boolean throttled) {
    FailureClassifier.Failure failure =
        FailureClassifier.classify(s3(status, code), Step.DESTINATION_PUT);
    assertThat(failure.permanent()).isFalse();
    assertThat(failure.throttled()).isEqualTo(throttled);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"DESTINATION_PUT", "SOURCE_GET"})
  void connectionFailuresAreTransient(Step step) {
    SdkClientException reset =
        SdkClientException.create(
            "Unable to execute HTTP request", new ConnectException("refused"));
    assertThat(FailureClassifier.classify(reset, step).permanent()).isFalse();
  }
}
