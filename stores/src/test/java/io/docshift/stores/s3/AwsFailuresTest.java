package io.docshift.stores.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.core.outcome.Backend;
import io.docshift.core.outcome.Outcome;
import io.docshift.core.outcome.OutcomeClassifier;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** The AWS SDK's failures reach {@link OutcomeClassifier} through the registered recognizer. */
class AwsFailuresTest {
  @Test
  void awsServiceExceptionsGoByStatusAndCode() {
    S3Exception throttled =
        (S3Exception)
            S3Exception.builder()
                .statusCode(503)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("SlowDown").build())
                .build();
    S3Exception expired =
        (S3Exception)
            S3Exception.builder()
                .statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ExpiredToken").build())
                .build();
    NoSuchKeyException missing = NoSuchKeyException.builder().statusCode(404).build();

    assertThat(OutcomeClassifier.classify(Backend.S3, throttled)).isEqualTo(Outcome.S3_THROTTLED);
    assertThat(OutcomeClassifier.classify(Backend.S3, expired)).isEqualTo(Outcome.S3_AUTH);
    assertThat(OutcomeClassifier.classify(Backend.S3, new CompletionException(missing)))
        .isEqualTo(Outcome.NOT_FOUND);
  }

  @Test
  void sdkTimeoutsBlameTheBackendAlsoDeepInTheCauseChain() {
    ApiCallTimeoutException call = ApiCallTimeoutException.builder().message("slow").build();
    ApiCallAttemptTimeoutException attempt =
        ApiCallAttemptTimeoutException.builder().message("slow attempt").build();

    assertThat(OutcomeClassifier.classify(Backend.S3, call)).isEqualTo(Outcome.S3_TIMEOUT);
    assertThat(OutcomeClassifier.classify(Backend.S3, SdkClientException.create("x", attempt)))
        .isEqualTo(Outcome.S3_TIMEOUT);
  }

  @Test
  void sdkClientExceptionsGoByTheirCause() {
    SdkClientException refused =
        SdkClientException.create(
            "Unable to execute HTTP request", new ConnectException("refused"));
    SdkClientException slow =
        SdkClientException.create("read", new SocketTimeoutException("read timed out"));

    assertThat(OutcomeClassifier.classify(Backend.S3, new CompletionException(refused)))
        .isEqualTo(Outcome.S3_CONNECT);
    assertThat(OutcomeClassifier.classify(Backend.S3, slow)).isEqualTo(Outcome.S3_TIMEOUT);
    assertThat(OutcomeClassifier.classify(Backend.S3, SdkClientException.create("no region")))
        .isEqualTo(Outcome.LOCAL_ERROR);
  }

  @Test
  void leavesOtherFailuresToTheClassifier() {
    AwsFailures recognizer = new AwsFailures();

    assertThat(recognizer.recognize(Backend.S3, new IllegalStateException("bug"))).isNull();
    assertThat(recognizer.recognizeCause(Backend.S3, new ConnectException("refused"))).isNull();
  }
}
