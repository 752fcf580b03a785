package io.docshift.core.outcome;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.core.key.InvalidDocumentKeyException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OutcomeClassifierTest {
  @ParameterizedTest(name = "{0} {1} {2} -> {3}")
  @CsvSource({
    "S3, 200, , SUCCESS",
    "S3, 206, , SUCCESS",
    "CLOUDINARY, 304, , SUCCESS",
    "S3, 404, NoSuchKey, NOT_FOUND",
    "CLOUDINARY, 410, , NOT_FOUND",
    "CLOUDINARY, 400, , CLIENT_ERROR",
    "S3, 416, InvalidRange, CLIENT_ERROR",
    "S3, 403, AccessDenied, S3_AUTH",
    "S3, 403, SignatureDoesNotMatch, S3_AUTH",
    "S3, 401, , S3_AUTH",
    "S3, 400, ExpiredToken, S3_AUTH",
    "CLOUDINARY, 403, , LOCAL_ERROR",
    "CLOUDINARY, 401, , LOCAL_ERROR",
    "S3, 400, BadDigest, CHECKSUM_MISMATCH",
    "S3, 400, XAmzContentSHA256Mismatch, CHECKSUM_MISMATCH",
    "S3, 400, RequestTimeout, S3_TIMEOUT",
    "S3, 503, SlowDown, S3_THROTTLED",
    "S3, 503, , S3_5XX",
    "S3, 500, InternalError, S3_5XX",
    "S3, 504, , S3_TIMEOUT",
    "CLOUDINARY, 420, , CLOUDINARY_THROTTLED",
    "CLOUDINARY, 429, , CLOUDINARY_THROTTLED",
    "CLOUDINARY, 408, , CLOUDINARY_TIMEOUT",
    "CLOUDINARY, 502, , CLOUDINARY_5XX",
  })
  void classifiesStatuses(Backend backend, int status, String code, Outcome expected) {
    assertThat(OutcomeClassifier.fromStatus(backend, status, code)).isEqualTo(expected);
  }

  @Test
  void connectFailuresAnywhereInTheCauseChainBlameTheBackend() {
    RuntimeException refused =
        new RuntimeException("Unable to execute HTTP request", new ConnectException("refused"));

    assertThat(OutcomeClassifier.classify(Backend.S3, new CompletionException(refused)))
        .isEqualTo(Outcome.S3_CONNECT);
    assertThat(OutcomeClassifier.classify(Backend.CLOUDINARY, new UnknownHostException("x")))
        .isEqualTo(Outcome.CLOUDINARY_CONNECT);
    assertThat(OutcomeClassifier.classify(Backend.S3, new ClosedChannelException()))
        .isEqualTo(Outcome.S3_CONNECT);
    assertThat(OutcomeClassifier.classify(Backend.CLOUDINARY, new HttpConnectTimeoutException("x")))
        .isEqualTo(Outcome.CLOUDINARY_CONNECT);
    assertThat(OutcomeClassifier.classify(Backend.CLOUDINARY, new IOException("connection reset")))
        .isEqualTo(Outcome.CLOUDINARY_CONNECT);
  }

  @Test
  void timeoutsBlameTheBackend() {
    assertThat(
            OutcomeClassifier.classify(
                Backend.S3,
                new RuntimeException("read", new SocketTimeoutException("read timed out"))))
        .isEqualTo(Outcome.S3_TIMEOUT);
    assertThat(
            OutcomeClassifier.classify(
                Backend.CLOUDINARY, new ExecutionException(new HttpTimeoutException("timed out"))))
        .isEqualTo(Outcome.CLOUDINARY_TIMEOUT);
  }

  @Test
  void clientAndLocalFailuresAreNotBackendFaults() {
    Outcome badKey =
        OutcomeClassifier.classify(
            Backend.S3,
            new InvalidDocumentKeyException(InvalidDocumentKeyException.Reason.MALFORMED, "x"));
    Outcome bug = OutcomeClassifier.classify(Backend.S3, new IllegalStateException("bug"));

    assertThat(badKey).isEqualTo(Outcome.CLIENT_ERROR);
    assertThat(bug).isEqualTo(Outcome.LOCAL_ERROR);
    assertThat(badKey.isBackendFault() || bug.isBackendFault()).isFalse();
  }

  @Test
  void alreadyClassifiedExceptionsKeepTheirOutcome() {
    class Classified extends RuntimeException implements ClassifiedException {
      private static final long serialVersionUID = 1L;

      @Override
      public Outcome outcome() {
        return Outcome.CLOUDINARY_THROTTLED;
      }
    }

    assertThat(OutcomeClassifier.classify(Backend.S3, new CompletionException(new Classified())))
        .isEqualTo(Outcome.CLOUDINARY_THROTTLED);
  }

  @Test
  void onlyBackendFaultsNameABackend() {
    for (Outcome outcome : Outcome.values()) {
      assertThat(outcome.backend().isPresent()).isEqualTo(outcome.isBackendFault());
      assertThat(outcome.tag()).isEqualTo(outcome.name().toLowerCase(java.util.Locale.ROOT));
    }
    assertThat(Outcome.S3_5XX.backend()).contains(Backend.S3);
    assertThat(Backend.CLOUDINARY.tag()).isEqualTo("cloudinary");
  }
}
