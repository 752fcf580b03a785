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
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * {@code destroy} in every write mode: the document goes from both stores and the ledger keeps a
 * tombstone first, so neither the backfill nor a repair ever brings it back. With Cloudinary
 * primary the client's request goes to Cloudinary as is and its answer is relayed; with S3 primary
 * DocShift verifies, deletes and answers {@code {"result":"ok"|"not found"}} itself. The secondary
 * delete runs under a committed outbox intent, so a failure is retried by the repair worker.
 */
final class Destroys {
  private final WriteContext ctx;
  private final Consumer<LedgerKey> forget;

  Destroys(WriteContext ctx, Consumer<LedgerKey> forget) {
    this.ctx = ctx;
    this.forget = forget;
  }

  /**
   * Cloudinary first. The {@code delete} intent is committed before the call is sent: a process
   * killed after Cloudinary destroyed the asset and before the tombstone leaves a row that comes
   * due, and its repair, finding Cloudinary without the asset, tombstones the row and empties S3 (a
   * destroy that never reached Cloudinary, or that it refused, removes nothing). A refused destroy
   * settles the intent; one whose answer never came leaves it to the repair. Only a call DocShift
   * can authenticate too gets its intent first: a stranger's makes no ledger write before
   * Cloudinary refused it.
   */
  CompletableFuture<ApiAnswer> cloudinaryFirst(UploadCall call, SpooledForm form) {
    DocumentKey key = key(call, form);
    Optional<RepairTicket> early =
        ctx.auth().accepts(form.params())
            ? Optional.of(intend(key, RepairOperation.DELETE))
            : Optional.empty();
    return ctx.api()
        .post(call.rawPath(), call.body(), call.headers())
        .thenComposeAsync(
            reply -> {
              if (reply.status() != 200) {
                early.ifPresent(ctx.outbox()::settle);
                return CompletableFuture.completedFuture(ApiAnswer.relayed(reply));
              }
              RepairTicket ticket = early.orElseGet(() -> intend(key, RepairOperation.DELETE));
              return secondaryDelete(key, ticket, ctx.s3(), Backend.S3)
                  .thenApply(x -> ApiAnswer.relayed(reply));
            },
            ctx.blocking());
  }

  /**
   * S3 first. In the dual mode the {@code cld_delete} intent is committed before S3's delete, so a
   * process killed at any point leaves a due row (its repair destroys Cloudinary's copy only when
   * S3 holds nothing, so an intent whose S3 delete never happened removes nothing).
   */
  CompletableFuture<ApiAnswer> s3First(UploadCall call, SpooledForm form, boolean dual) {
    ctx.auth().verify(form.params());
    DocumentKey key = key(call, form);
    RepairTicket ticket = dual ? intend(key, RepairOperation.CLOUDINARY_DELETE) : null;
    return ctx.s3()
        .delete(key)
        .thenComposeAsync(
            existed -> {
              CompletableFuture<Void> secondary =
                  dual
                      ? secondaryDelete(key, ticket, ctx.cloudinary(), Backend.CLOUDINARY)
                      : CompletableFuture.runAsync(() -> tombstone(key), ctx.blocking());
              String result = existed ? "ok" : "not found";
              return secondary.thenApply(
                  x ->
                      ApiAnswer.json(
                          200, Map.of("result", result), Optional.of(Backend.S3), Outcome.SUCCESS));
            },
            ctx.blocking());
  }

  private RepairTicket intend(DocumentKey key, RepairOperation operation) {
    return ctx.outbox()
        .intend(LedgerKey.of(key), operation, "destroy in flight", WriteContext.INTENT_GRACE);
  }

  /**
   * Intent (taken by the caller), tombstone, delete, settle: the order that makes a crash at any
   * point safe. The intent comes first so that no tombstone is ever seen without the secondary
   * delete that follows it queued: a repair that finds a tombstone, Cloudinary holding the asset
   * and no {@code cld_delete} row knows no Cloudinary delete is in flight, so the asset was
   * uploaded after the removal.
   */
  private CompletableFuture<Void> secondaryDelete(
      DocumentKey key,
      RepairTicket ticket,
      io.docshift.core.store.DocumentStore store,
      Backend backend) {
    tombstone(key);
    return store
        .delete(key)
        .handleAsync(
            (existed, t) -> {
              if (t == null) {
                ctx.outbox().settle(ticket);
                ctx.metrics().secondaryWrite(backend, Outcome.SUCCESS);
              } else {
                ctx.outbox().fail(ticket, WriteContext.describe(key, t));
                ctx.metrics().secondaryWrite(backend, SecondaryS3.outcome(t));
              }
              return null;
            },
            ctx.blocking());
  }

  private LedgerKey tombstone(DocumentKey key) {
    LedgerKey ledgerKey = LedgerKey.of(key);
    ctx.documents().markDeleted(ledgerKey, "destroyed through the Upload API");
    // Read-your-delete: this instance's cache must not keep a "verified" for the tombstone.
    forget.accept(ledgerKey);
    return ledgerKey;
  }

  /** The key of the document to destroy; its format (image/video) comes from the ledger. */
  private DocumentKey key(UploadCall call, SpooledForm form) {
    String publicId = form.param("public_id");
    if (publicId == null) {
      throw new BadUpload(400, "Missing required parameter - public_id");
    }
    ResourceType rt =
        ResourceType.fromWire(call.resourceType())
            .orElseThrow(() -> new BadUpload(400, "Invalid resource type " + call.resourceType()));
    String typeName = form.param("type") == null ? "upload" : form.param("type");
    DeliveryType type =
        DeliveryType.fromWire(typeName)
            .orElseThrow(() -> new BadUpload(400, "Invalid type " + typeName));
    LedgerKey ledgerKey =
        new LedgerKey(ctx.account().cloudName(), rt.wireName(), type.wireName(), publicId);
    String format =
        rt.formatOutsidePublicId()
            ? ctx.documents()
                .find(ledgerKey)
                .map(DocumentRecord::asset)
                .map(a -> a.format())
                .orElse(null)
            : null;
    try {
      return DocumentKey.of(ctx.account().cloudName(), rt, type, publicId, format);
    } catch (InvalidDocumentKeyException e) {
      throw new BadUpload(400, e.getMessage());
    }
  }
}
