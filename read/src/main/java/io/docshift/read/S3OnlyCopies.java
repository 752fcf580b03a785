package io.docshift.read;

import io.docshift.core.config.WriteMode;
import io.docshift.core.key.DocumentKey;
import io.docshift.ledger.LedgerKey;
import io.docshift.traffic.TrafficStateSource;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether Cloudinary's 404 for a document the ledger holds verified in S3 is to be believed, or
 * means the document exists only in S3. Only in S3 when writes are S3-primary ({@code S3_ONLY}
 * keeps that mode through an auto-revert; {@code DUAL_S3_PRIMARY} while in force), or when a
 * Cloudinary repair ({@code cld_put}) is queued for the document: an S3-primary write whose
 * Cloudinary copy failed or is still in flight, which an auto-revert does not undo. Otherwise
 * Cloudinary is the primary and its 404 stands (a document deleted at Cloudinary is not brought
 * back from S3).
 *
 * <p>The queue lookup blocks (JDBC) and runs on {@code executor}; it is asked only on a Cloudinary
 * 404 of a verified document, never on the common path. A failed lookup believes Cloudinary.
 */
final class S3OnlyCopies {
  private static final Logger LOG = LoggerFactory.getLogger(S3OnlyCopies.class);

  private final TrafficStateSource traffic;
  private final Predicate<LedgerKey> cloudinaryRepairQueued;
  private final Executor executor;

  S3OnlyCopies(
      TrafficStateSource traffic, Predicate<LedgerKey> cloudinaryRepairQueued, Executor executor) {
    this.traffic = traffic;
    this.cloudinaryRepairQueued = cloudinaryRepairQueued;
    this.executor = executor;
  }

  /** Completes with whether {@code key}, verified in S3, is missing from Cloudinary by design. */
  CompletableFuture<Boolean> onlyInS3(DocumentKey key) {
    WriteMode mode = traffic.current().writeMode();
    if (mode == WriteMode.S3_ONLY || mode == WriteMode.DUAL_S3_PRIMARY) {
      return CompletableFuture.completedFuture(true);
    }
    LedgerKey ledgerKey = LedgerKey.of(key);
    return CompletableFuture.supplyAsync(() -> cloudinaryRepairQueued.test(ledgerKey), executor)
        .exceptionally(
            failure -> {
              LOG.warn("cannot tell whether {} is only in S3: {}", ledgerKey, failure.toString());
              return false;
            });
  }
}
