package io.docshift.read;

import io.docshift.core.key.DeliveryType;
import io.docshift.core.key.DocumentKey;
import io.docshift.core.key.ResourceType;
import io.docshift.ledger.CloudinaryAsset;
import io.docshift.ledger.Ledger;
import io.docshift.ledger.LedgerKey;
import io.docshift.ledger.LedgerSettings;
import io.docshift.ledger.UpsertOrigin;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The read module's test setup: a routing cache (TTL 5 s) over a real in-memory H2 ledger, with a
 * hand-moved clock and a count of the rows it read. Keys are images of cloud {@code demo}.
 */
final class LedgerCopies implements AutoCloseable {
  static final String MD5 = "0123456789abcdef0123456789abcdef";
  static final String SHA = "0123456789abcdef".repeat(4);

  /** The ledger's JDBC URL, for a second pool on the same database. */
  final String url = "jdbc:h2:mem:copies-" + UUID.randomUUID();

  final Ledger ledger = Ledger.open(LedgerSettings.builder(url).build());
  final AtomicLong nanos = new AtomicLong();
  final AtomicInteger lookups = new AtomicInteger();
  final VerifiedCopies copies =
      VerifiedCopies.create(
          key -> {
            lookups.incrementAndGet();
            return ledger.documents().find(key);
          },
          Runnable::run,
          Duration.ofSeconds(5),
          100,
          nanos::get);

  static DocumentKey image(String id, String format) {
    return DocumentKey.of("demo", ResourceType.IMAGE, DeliveryType.UPLOAD, id, format);
  }

  static LedgerKey row(String id) {
    return new LedgerKey("demo", "image", "upload", id);
  }

  /** Lists {@code id} (stored as {@code format}, version 7) without copying it. */
  void listed(String id, String format) {
    ledger
        .documents()
        .upsert(new CloudinaryAsset(row(id), format, 7, MD5, 10), UpsertOrigin.LISTING);
  }

  /** Lists {@code id} and verifies its S3 copy (digests {@link #MD5}, {@link #SHA}). */
  void verified(String id, String format) {
    listed(id, format);
    ledger.documents().markCopied(row(id), 7, MD5, SHA);
    ledger.documents().markVerified(row(id), 7, MD5, SHA);
  }

  boolean servable(DocumentKey key) throws Exception {
    return copies.servable(key).get(5, TimeUnit.SECONDS);
  }

  void advance(Duration by) {
    nanos.addAndGet(by.toNanos());
  }

  @Override
  public void close() {
    ledger.close();
  }
}
