package io.docshift.write;

import io.docshift.core.key.DeliveryType;
import io.docshift.core.key.DocumentKey;
import io.docshift.core.key.InvalidDocumentKeyException;
import io.docshift.core.key.ResourceType;
import io.docshift.core.outcome.Backend;
import io.docshift.core.outcome.Outcome;
import io.docshift.ledger.DocumentRecord;
import io.docshift.ledger.LedgerKey;
import io.docshift.ledger.RepairOperation;
import io.docshift.ledger.RepairTicket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The S3 side of deletes and renames, after the ledger already holds the tombstones: for each
 * document S3 may hold, a committed {@code delete} intent, the S3 delete, then the intent settled
 * (or failed, so the repair worker retries at once). The read cache of this instance forgets each
 * key first, so nothing here races a read that would still route to S3.
 */
final class S3Deletes {
  private final WriteContext ctx;
  private final Consumer<LedgerKey> forget;

  S3Deletes(WriteContext ctx, Consumer<LedgerKey> forget) {
    this.ctx = ctx;
    this.forget = forget;
  }

  /**
   * Follows tombstones just committed; {@code before} are the rows as they were, whose formats name
   * the S3 objects. A row that already was a tombstone is followed too: an S3-primary writer that
   * died after its S3 put and before its ledger write left an object under it, which the repair of
   * its {@code cld_put} would otherwise copy back to Cloudinary after this acknowledged removal.
   * Completes when every delete either happened or is queued for repair.
   */
  CompletableFuture<Void> follow(List<DocumentRecord> before) {
    return follow(before, Map.of());
  }

  /**
   * {@link #follow}, for a removal that committed its {@code delete} intents before it was sent
   * ({@link #intended}): a row's delete goes under its intent, and the intents of documents with no
   * S3 object to delete (no row, or no format) are settled.
   */
  CompletableFuture<Void> follow(List<DocumentRecord> before, Map<LedgerKey, RepairTicket> taken) {
    Map<LedgerKey, RepairTicket> unused = new HashMap<>(taken);
    List<CompletableFuture<Void>> deletes = new ArrayList<>();
    for (DocumentRecord row : before) {
      forget.accept(row.key());
      Optional<RepairTicket> ticket = Optional.ofNullable(unused.remove(row.key()));
      documentKey(row.key(), row.asset().format())
          .ifPresentOrElse(
              k -> deletes.add(delete(k, ticket)), () -> ticket.ifPresent(ctx.outbox()::settle));
    }
    unused.values().forEach(ctx.outbox()::settle);
    return CompletableFuture.allOf(deletes.toArray(CompletableFuture[]::new));
  }

  /**
   * Commits a {@code delete} intent for each of {@code keys} before a removal is sent to
   * Cloudinary, due after the intent's grace: a process killed after Cloudinary removed them and
   * before the ledger followed leaves the rows for the repair worker, which reconciles S3 and the
   * ledger with what Cloudinary then holds (a removal that never reached Cloudinary removes
   * nothing).
   */
  Map<LedgerKey, RepairTicket> intended(List<LedgerKey> keys, String reason) {
    return ctx.outbox().intendAll(keys, RepairOperation.DELETE, reason, WriteContext.INTENT_GRACE);
  }

  /** Settles intents of a removal Cloudinary refused: nothing changed, nothing to repair. */
  void refused(Map<LedgerKey, RepairTicket> taken) {
    taken.values().forEach(ctx.outbox()::settle);
  }

  /**
   * Deletes S3's object of {@code key} whatever its row says (a tombstone too: a killed writer may
   * have put an object after it), under a {@code delete} intent as {@link #follow} does: {@code
   * taken}'s, or one taken now.
   */
  CompletableFuture<Void> deleteObject(LedgerKey key, String format, Optional<RepairTicket> taken) {
    forget.accept(key);
    Optional<DocumentKey> documentKey = documentKey(key, format);
    if (documentKey.isEmpty()) {
      taken.ifPresent(ctx.outbox()::settle);
      return CompletableFuture.completedFuture(null);
    }
    return delete(documentKey.get(), taken);
  }

  private CompletableFuture<Void> delete(DocumentKey key, Optional<RepairTicket> taken) {
    LedgerKey ledgerKey = LedgerKey.of(key);
    RepairTicket ticket =
        taken.orElseGet(
            () ->
                ctx.outbox()
                    .intend(
                        ledgerKey,
                        RepairOperation.DELETE,
                        "delete in flight",
                        WriteContext.INTENT_GRACE));
    return ctx.s3()
        .delete(key)
        .handleAsync(
            (existed, t) -> {
              if (t == null) {
                ctx.outbox().settle(ticket);
                ctx.metrics().secondaryWrite(Backend.S3, Outcome.SUCCESS);
              } else {
                ctx.outbox().fail(ticket, WriteContext.describe(key, t));
                ctx.metrics().secondaryWrite(Backend.S3, SecondaryS3.outcome(t));
              }
              return null;
            },
            ctx.blocking());
  }

  /**
   * The document key of a ledger row, empty when an image or video format is unknown (only a
   * tombstone of a document the ledger never saw lacks it; DocShift wrote no S3 object for it).
   */
  static Optional<DocumentKey> documentKey(LedgerKey key, String format) {
    Optional<ResourceType> rt = ResourceType.fromWire(key.resourceType());
    Optional<DeliveryType> type = DeliveryType.fromWire(key.type());
    if (rt.isEmpty() || type.isEmpty() || (rt.get().formatOutsidePublicId() && format == null)) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          DocumentKey.of(
              key.cloud(),
              rt.get(),
              type.get(),
              key.publicId(),
              rt.get().formatOutsidePublicId() ? format : null));
    } catch (InvalidDocumentKeyException e) {
      return Optional.empty();
    }
  }
}
