package io.docshift.traffic.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.core.metrics.FailoverOutcome;
import io.docshift.core.outcome.Outcome;
import io.docshift.traffic.revert.S3Evidence;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The revert guard as the proxy's {@link S3Evidence}: what S3 answered, fallbacks and failovers
 * that hide S3's failure count; Cloudinary's and the client's failures never do.
 */
class RevertGuardEvidenceTest extends TrafficFixture {
  @Test
  void aRequestS3AnsweredCountsWithItsOutcomeButAClientErrorNever() {
    TrafficControl control = control();
    S3Evidence evidence = control.guard();
    RevertGuard guard = control.guard();

    evidence.served(Outcome.SUCCESS, Duration.ofMillis(4));
    evidence.served(Outcome.S3_5XX, Duration.ofMillis(9));
    assertThat(guard.snapshot().requests()).isEqualTo(2);
    assertThat(guard.snapshot().failures()).isEqualTo(1);

    evidence.served(Outcome.CLIENT_ERROR, Duration.ofMillis(1));
    evidence.served(Outcome.CLOUDINARY_5XX, Duration.ofMillis(1));
    assertThat(guard.snapshot().requests()).as("a client's 4xx is no evidence").isEqualTo(2);
    assertThat(guard.snapshot().failures()).isEqualTo(1);
  }

  @Test
  void aFallbackCountsAgainstS3WhenS3FailedOrLostTheVerifiedCopy() {
    TrafficControl control = control();
    S3Evidence evidence = control.guard();

    evidence.fellBack(Outcome.S3_TIMEOUT);
    evidence.fellBack(Outcome.NOT_FOUND);
    assertThat(control.guard().snapshot().failures()).isEqualTo(2);
    evidence.fellBack(Outcome.CLIENT_ERROR);
    assertThat(control.guard().snapshot().requests())
        .as("a client's 4xx is no evidence")
        .isEqualTo(2);
  }

  @Test
  void aFailoverCountsAgainstS3OnlyWhenTheRequestWillNotCarryS3sFailure() {
    TrafficControl control = control();
    S3Evidence evidence = control.guard();

    evidence.failedOver(Outcome.S3_CONNECT, FailoverOutcome.SPLICED);
    evidence.failedOver(Outcome.S3_TIMEOUT, FailoverOutcome.MISMATCH);
    assertThat(control.guard().snapshot().failures()).isEqualTo(2);
    // These end the client's request with S3's failure, which the request report counts.
    evidence.failedOver(Outcome.S3_CONNECT, FailoverOutcome.REFUSED);
    evidence.failedOver(Outcome.S3_CONNECT, FailoverOutcome.FAILED);
    assertThat(control.guard().snapshot().failures()).isEqualTo(2);
    assertThat(control.guard().snapshot().requests()).isEqualTo(2);
  }
}
