package io.docshift.core.read;

import static java.util.Objects.requireNonNull;

import io.docshift.core.key.DocumentKey;
import io.docshift.core.ledger.DocumentRecord;
import io.docshift.core.ledger.Documents;
import io.docshift.core.ledger.LedgerKey;
import io.docshift.core.ledger.RepairOperation;
import io.docshift.core.ledger.RepairOutbox;
import io.docshift.core.ledger.S3State;
import io.docshift.core.ledger.Transition;
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
 * a repair {@code PUT} is queued in the outbox, and the routing cache reloads the row.
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
  private final Executor executor;

  public ServedMismatches(
      Documents documents, RepairOutbox outbox, VerifiedCopies copies, Executor executor) {
    this.documents = requireNonNull(documents, "documents");
    this.outbox = requireNonNull(outbox, "outbox");
    this.copies = requireNonNull(copies, "copies");
    this.executor = requireNonNull(executor, "executor");
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
    LedgerKey ledgerKey = VerifiedCopies.ledgerKey(key);
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
