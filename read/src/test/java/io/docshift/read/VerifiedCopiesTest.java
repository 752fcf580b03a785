package io.docshift.read;

import static io.docshift.read.LedgerCopies.image;
import static io.docshift.read.LedgerCopies.row;
import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.core.key.DocumentKey;
import io.docshift.ledger.DocumentRecord;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The routing cache over a real (H2) ledger, with injected time. */
class VerifiedCopiesTest {
  private final LedgerCopies fx = new LedgerCopies();

  @AfterEach
  void close() {
    fx.close();
  }

  @Test
  void onlyAVerifiedCopyInTheStoredFormatIsServable() throws Exception {
    fx.verified("scans/a", "png");
    assertThat(fx.servable(image("scans/a", "png"))).isTrue();
    assertThat(fx.servable(image("scans/a", "jpg"))).isFalse();
    assertThat(fx.servable(image("scans/a", null))).isFalse();
    assertThat(fx.servable(image("scans/unknown", "png"))).isFalse();
  }

  @Test
  void rowsAreCachedUntilTheTtlOrAnInvalidation() throws Exception {
    DocumentKey key = image("scans/b", "png");
    assertThat(fx.servable(key)).isFalse();
    fx.verified("scans/b", "png");
    assertThat(fx.servable(key)).as("absence is cached").isFalse();
    assertThat(fx.lookups).hasValue(1);
    fx.advance(Duration.ofSeconds(6));
    assertThat(fx.servable(key)).isTrue();
    assertThat(fx.lookups).hasValue(2);
    fx.ledger.documents().markDeleted(row("scans/b"), "gone");
    fx.copies.invalidate(key);
    assertThat(fx.servable(key)).isFalse();
  }

  @Test
  void aRemovalTombstoneIsRemovedAnAccessControlledOneIsNot() throws Exception {
    fx.verified("scans/c", "png");
    fx.verified("scans/d", "png");
    DocumentKey live = image("scans/e", "png");
    fx.verified("scans/e", "png");
    fx.ledger.documents().markDeleted(row("scans/c"), "gone");
    fx.ledger
        .documents()
        .markAllAccessControlled(
            List.of(row("scans/d")), false, "verify: " + DocumentRecord.ACCESS_CONTROLLED);

    assertThat(removed(image("scans/c", "png"))).isTrue();
    assertThat(removed(image("scans/c", null))).as("whatever format is asked for").isTrue();
    assertThat(removed(image("scans/d", "png"))).isFalse();
    assertThat(removed(live)).isFalse();
    assertThat(removed(image("scans/unknown", "png"))).isFalse();
  }

  @Test
  void oneLookupTellsBothTheVerifiedCopyAndTheRemoval() throws Exception {
    fx.verified("scans/f", "png");
    LedgerAnswer answer = fx.copies.lookup(image("scans/f", "png")).get(5, TimeUnit.SECONDS);
    assertThat(answer.verifiedCopy())
        .contains(ExpectedDigest.of(LedgerCopies.MD5, LedgerCopies.SHA));
    assertThat(answer.removed()).isFalse();
    assertThat(fx.lookups).hasValue(1);
  }

  private boolean removed(DocumentKey key) throws Exception {
    return fx.copies.lookup(key).get(5, TimeUnit.SECONDS).removed();
  }
}
