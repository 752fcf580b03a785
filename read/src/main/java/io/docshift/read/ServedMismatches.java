package io.docshift.read;

import static java.util.Objects.requireNonNull;

import io.docshift.core.key.DocumentKey;
import io.docshift.ledger.DocumentRecord;
import io.docshift.ledger.Documents;
import io.docshift.ledger.LedgerKey;
import io.docshift.ledger.RepairOperation;
import io.docshift.ledger.RepairOutbox;
import io.docshift.ledger.S3State;
import io.docshift.ledger.Transition;
import io.docshift.traffic.TrafficStateSource;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The production {@link MismatchListener}: S3 served bytes that differ from what the ledger
 * verified, so the document must stop being read from S3 and be copied again. At once, on the
 * calling thread, this instance stops routing it to S3 ({@link VerifiedCopies#distrust}); then, on
 * {@code executor} (JDBC blocks), the ledger row becomes {@code mismatch} with the observed digest,
 * a repair {@code PUT} is queued in the outbox, and the routing cache reloads the row. A document
 * only S3 holds ({@link S3OnlyCopies}) gets no repair: it would copy from Cloudinary, find nothing
 * and tombstone the document; it stays {@code mismatch} for an operator, logged as an error.
 *
 * <p>The row is marked only if it still records the digest the body was checked against: a row that
 * changed meanwhile (a newer upload overwrote the object while it was being read) describes a
 * different object, and the read's mismatch says nothing about it. Failures are logged, never
 * surfaced: the client's transfer is already aborted, and {@code docshift verify --deep} finds the
 * document again.
 */
public final class ServedMismatches implements MismatchListener {
  private static final Logger LOG = LoggerFactory.getLogger(ServedMismatches.class);

  private final Documents documents;
  private final RepairOutbox outbox;
  private final VerifiedCopies copies;
  private final S3OnlyCopies s3Only;
  private final Executor executor;

  /**
   * @param traffic the live write mode, which says (with the outbox) whether Cloudinary holds a
   *     copy to repair from
   */
  public ServedMismatches(
      Documents documents,
      RepairOutbox outbox,
      VerifiedCopies copies,
      TrafficStateSource traffic,
      Executor executor) {
    this.documents = requireNonNull(documents, "documents");
    this.outbox = requireNonNull(outbox, "outbox");
    this.copies = requireNonNull(copies, "copies");
    this.executor = requireNonNull(executor, "executor");
    // Runs on the executor already: the outbox lookup may block there.
    this.s3Only =
        new S3OnlyCopies(
            requireNonNull(traffic, "traffic"),
            key -> outbox.queued(key, RepairOperation.CLOUDINARY_PUT),
            Runnable::run);
  }

  @Override
  public void mismatched(
      DocumentKey key, String algorithm, String expectedHex, String observedHex) {
    copies.distrust(key);
    LOG.warn(
        "S3 served {} with {} {}, the ledger recorded {}: transfer aborted, repair queued",
        key,
        algorithm,
        observedHex,
        expectedHex);
    try {
      executor.execute(() -> record(key, algorithm, expectedHex, observedHex));
    } catch (RejectedExecutionException e) {
      LOG.warn("S3 mismatch of {} not recorded: ledger executor refused", key);
    }
  }

  private void record(DocumentKey key, String algorithm, String expectedHex, String observedHex) {
    LedgerKey ledgerKey = LedgerKey.of(key);
    String reason = "read from S3: " + algorithm + " " + observedHex + ", expected " + expectedHex;
    try {
      Optional<DocumentRecord> row = documents.find(ledgerKey);
      if (row.isEmpty() || !describes(row.get(), algorithm, expectedHex)) {
        LOG.info("S3 mismatch of {} not recorded: its ledger row changed meanwhile", key);
        return;
      }
      boolean sha = algorithm.equals("SHA-256");
      Transition marked =
          documents.markMismatch(
              ledgerKey, reason, sha ? null : observedHex, sha ? observedHex : null);
      if (s3Only.onlyInS3(key).join()) {
        // A repair copies from Cloudinary; with no copy there it would tombstone the document.
        LOG.error(
            "S3 copy of {} is damaged and Cloudinary holds none: left {} for an operator"
                + " (restore from S3 versioning or a backup)",
            key,
            marked);
        return;
      }
      outbox.enqueue(ledgerKey, RepairOperation.PUT, reason);
      LOG.info("S3 mismatch of {}: ledger {}", key, marked);
    } catch (RuntimeException e) {
      LOG.warn("S3 mismatch of {} not fully recorded: {}", key, e.toString());
    } finally {
      copies.invalidate(key);
    }
  }

  private static boolean describes(DocumentRecord row, String algorithm, String expectedHex) {
    String recorded = algorithm.equals("SHA-256") ? row.s3().sha256() : row.s3().md5();
    return row.state() == S3State.VERIFIED && expectedHex.equalsIgnoreCase(recorded);
  }
}
