package io.docshift.read;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.core.key.DeliveryType;
import io.docshift.core.key.DocumentKey;
import io.docshift.core.key.ResourceType;
import io.docshift.core.metrics.FailoverOutcome;
import io.docshift.core.outcome.Outcome;
import io.docshift.traffic.revert.S3Evidence;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every fallback and failover reaches auto-revert's evidence and the read path's listener. */
class GuardedFallbacksTest {
  private static final DocumentKey KEY =
      DocumentKey.of("demo", ResourceType.RAW, DeliveryType.UPLOAD, "a.pdf", null);

  private final List<String> told = new ArrayList<>();

  @Test
  void fallbacksAndFailoversAreToldToTheEvidenceFirstThenTheListener() {
    FallbackListener guarded = GuardedFallbacks.of(listener(), evidence());

    guarded.fellBack(KEY, Outcome.S3_AUTH);
    guarded.failedOver(KEY, Outcome.S3_CONNECT, FailoverOutcome.SPLICED);

    assertThat(told)
        .containsExactly(
            "evidence fallback s3_auth",
            "listener fallback s3_auth",
            "evidence failover s3_connect spliced",
            "listener failover s3_connect spliced");
  }

  @Test
  void withoutEvidenceTheListenerIsUsedAsIs() {
    FallbackListener listener = listener();
    assertThat(GuardedFallbacks.of(listener, S3Evidence.NONE)).isSameAs(listener);
  }

  private FallbackListener listener() {
    return new FallbackListener() {
      @Override
      public void fellBack(DocumentKey key, Outcome cause) {
        told.add("listener fallback " + cause.tag());
      }

      @Override
      public void failedOver(DocumentKey key, Outcome cause, FailoverOutcome outcome) {
        told.add("listener failover " + cause.tag() + " " + outcome.tag());
      }
    };
  }

  private S3Evidence evidence() {
    return new S3Evidence() {
      @Override
      public void served(Outcome outcome, Duration latency) {
        told.add("evidence served " + outcome.tag());
      }

      @Override
      public void fellBack(Outcome cause) {
        told.add("evidence fallback " + cause.tag());
      }

      @Override
      public void failedOver(Outcome cause, FailoverOutcome outcome) {
        told.add("evidence failover " + cause.tag() + " " + outcome.tag());
      }
    };
  }
}
