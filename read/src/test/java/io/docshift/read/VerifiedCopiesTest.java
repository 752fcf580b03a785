package io.docshift.read;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.core.key.DeliveryType;
import io.docshift.core.key.DocumentKey;
import io.docshift.core.key.ResourceType;
import io.docshift.ledger.CloudinaryAsset;
import io.docshift.ledger.DocumentRecord;
import io.docshift.ledger.Ledger;
import io.docshift.ledger.LedgerKey;
import io.docshift.ledger.LedgerSettings;
import io.docshift.ledger.UpsertOrigin;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The routing cache over a real (H2) ledger, with injected time. */
class VerifiedCopiesTest {
  private static final String MD5 = "0123456789abcdef0123456789abcdef";
  private static final String SHA = "0123456789abcdef".repeat(4);

  private Ledger ledger;
  private final AtomicLong nanos = new AtomicLong();
  private final AtomicInteger lookups = new AtomicInteger();
  private VerifiedCopies copies;

  @BeforeEach
  void open() {
    ledger = Ledger.open(LedgerSettings.builder("jdbc:h2:mem:copies-" + UUID.randomUUID()).build());
    copies =
        VerifiedCopies.create(
            key -> {
              lookups.incrementAndGet();
              return ledger.documents().find(key);
            },
            Runnable::run,
            Duration.ofSeconds(5),
            100,
            nanos::get);
  }

  @AfterEach
  void close() {
    ledger.close();
  }

  private static DocumentKey image(String id, String format) {
    return DocumentKey.of("demo", ResourceType.IMAGE, DeliveryType.UPLOAD, id, format);
  }

  private void verified(String id, String format) {
    LedgerKey key = new LedgerKey("demo", "image", "upload", id);
    ledger.documents().upsert(new CloudinaryAsset(key, format, 7, MD5, 10), UpsertOrigin.LISTING);
    ledger.documents().markCopied(key, 7, MD5, SHA);
    ledger.documents().markVerified(key, 7, MD5, SHA);
  }

  private boolean servable(DocumentKey key) throws Exception {
    return copies.servable(key).get(5, TimeUnit.SECONDS);
  }

  @Test
  void onlyAVerifiedCopyInTheStoredFormatIsServable() throws Exception {
    verified("scans/a", "png");
    assertThat(servable(image("scans/a", "png"))).isTrue();
    assertThat(servable(image("scans/a", "jpg"))).isFalse();
    assertThat(servable(image("scans/a", null))).isFalse();
    assertThat(servable(image("scans/unknown", "png"))).isFalse();
  }

  @Test
  void rowsAreCachedUntilTheTtlOrAnInvalidation() throws Exception {
    DocumentKey key = image("scans/b", "png");
    assertThat(servable(key)).isFalse();
    verified("scans/b", "png");
    assertThat(servable(key)).as("absence is cached").isFalse();
    assertThat(lookups).hasValue(1);
    nanos.addAndGet(Duration.ofSeconds(6).toNanos());
    assertThat(servable(key)).isTrue();
    assertThat(lookups).hasValue(2);
    ledger.documents().markDeleted(new LedgerKey("demo", "image", "upload", "scans/b"), "gone");
    copies.invalidate(key);
    assertThat(servable(key)).isFalse();
  }

  @Test
  void aRemovalTombstoneIsRemovedAnAccessControlledOneIsNot() throws Exception {
    verified("scans/c", "png");
    verified("scans/d", "png");
    DocumentKey live = image("scans/e", "png");
    verified("scans/e", "png");
    ledger.documents().markDeleted(new LedgerKey("demo", "image", "upload", "scans/c"), "gone");
    ledger
        .documents()
        .markAllDeleted(
            List.of(new LedgerKey("demo", "image", "upload", "scans/d")),
            false,
            "verify: " + DocumentRecord.ACCESS_CONTROLLED);

    assertThat(copies.removed(image("scans/c", "png")).get(5, TimeUnit.SECONDS)).isTrue();
    assertThat(copies.removed(image("scans/c", null)).get(5, TimeUnit.SECONDS))
        .as("whatever format is asked for")
        .isTrue();
    assertThat(copies.removed(image("scans/d", "png")).get(5, TimeUnit.SECONDS)).isFalse();
    assertThat(copies.removed(live).get(5, TimeUnit.SECONDS)).isFalse();
    assertThat(copies.removed(image("scans/unknown", "png")).get(5, TimeUnit.SECONDS)).isFalse();
  }
}
