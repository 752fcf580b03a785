package io.docshift.shadow;

import io.docshift.core.key.DocumentKey;
import io.docshift.core.key.LogIds;
import io.docshift.ledger.LedgerKey;
import io.docshift.ledger.MismatchSample;
import io.docshift.ledger.MismatchSource;
import io.docshift.ledger.RepairOperation;
import io.docshift.ledger.Transition;
import io.docshift.read.VerifiedCopies;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a confirmed shadow mismatch changes, on the ledger executor (JDBC blocks): a capped sample
 * in {@code mismatches} (both sides' status, length, MD5), the document's S3 state set to {@code
 * mismatch} so the read router stops sending it to S3 (the routing cache entry is dropped at once,
 * not at its TTL), and a repair {@code PUT} in the outbox. Failures are logged, never surfaced: the
 * client's response is long gone, and {@code docshift verify} finds the document again.
 */
final class MismatchRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(MismatchRecorder.class);

  private final ShadowLedger ledger;
  private final VerifiedCopies copies;
  private final Executor executor;

  MismatchRecorder(ShadowLedger ledger, VerifiedCopies copies, Executor executor) {
    this.ledger = ledger;
    this.copies = copies;
    this.executor = executor;
  }

  void record(DocumentKey key, String reason, ReadSummary cloudinary, ReadSummary s3) {
    try {
      executor.execute(() -> apply(key, reason, cloudinary, s3));
    } catch (RejectedExecutionException e) {
      LOG.warn(
          "shadow mismatch of {} ({}) not recorded: ledger executor refused",
          LogIds.of(key),
          reason);
    }
  }

  private void apply(DocumentKey key, String reason, ReadSummary cloudinary, ReadSummary s3) {
    LedgerKey ledgerKey = LedgerKey.of(key);
    String why = "shadow read: " + reason;
    try {
      ledger
          .mismatches()
          .record(
              new MismatchSample(
                  ledgerKey,
                  MismatchSource.SHADOW,
                  reason,
                  cloudinary.observation(),
                  s3.observation()));
      Transition marked = ledger.documents().markMismatch(ledgerKey, why, s3.md5(), null);
      copies.invalidate(key);
      ledger.outbox().enqueue(ledgerKey, RepairOperation.PUT, why);
      LOG.warn(
          "shadow mismatch {}: {} (cloudinary {} bytes md5 {}, s3 {} bytes md5 {}); ledger {}",
          LogIds.of(ledgerKey),
          reason,
          cloudinary.bytes(),
          cloudinary.md5(),
          s3.bytes(),
          s3.md5(),
          marked);
    } catch (RuntimeException e) {
      copies.invalidate(key);
      LOG.warn(
          "shadow mismatch of {} ({}) not fully recorded: {}",
          LogIds.of(ledgerKey),
          reason,
          e.toString());
    }
  }
}
