package io.docshift.stores.s3;

import io.docshift.core.outcome.Backend;
import io.docshift.core.outcome.FailureRecognizer;
import io.docshift.core.outcome.Outcome;
import io.docshift.core.outcome.OutcomeClassifier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;

/**
 * The AWS SDK's failures for {@link OutcomeClassifier}: a service error goes by its status and
 * error code ({@code SlowDown}, {@code ExpiredToken}, ...), a whole-call or attempt timeout blames
 * the backend. Registered in {@code META-INF/services}, so every module that talks to S3 through
 * the SDK (the store, the backfill's and the write path's uploads) gets it with {@code stores} on
 * the class path, and {@code core} needs no SDK.
 */
public final class AwsFailures implements FailureRecognizer {
  @Override
  public Outcome recognize(Backend backend, Throwable failure) {
    if (failure instanceof AwsServiceException) {
      AwsServiceException e = (AwsServiceException) failure;
      String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
      return OutcomeClassifier.fromStatus(backend, e.statusCode(), code);
    }
    return recognizeCause(backend, failure);
  }

  /** Only the SDK's timeouts count in a cause chain; a nested service error is left alone. */
  @Override
  public Outcome recognizeCause(Backend backend, Throwable cause) {
    if (cause instanceof ApiCallTimeoutException
        || cause instanceof ApiCallAttemptTimeoutException) {
      return Outcome.timeout(backend);
    }
    return null;
  }
}
