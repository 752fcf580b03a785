package io.docshift.write;

import io.docshift.core.config.WriteMode;
import io.docshift.ledger.DocumentRecord;
import io.docshift.ledger.IntentReason;
import io.docshift.ledger.LedgerKey;
import io.docshift.ledger.RepairOperation;
import io.docshift.ledger.RepairTicket;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * {@code POST /v1_1/{cloud}/{rt}/rename} ({@code from_public_id}, {@code to_public_id}, {@code
 * type}, {@code to_type}, {@code overwrite}): the signed call goes to Cloudinary as is; on a 200,
 * in one ledger transaction the old key becomes a tombstone and the new key takes the renamed asset
 * (as Cloudinary's answer describes it) with no S3 copy, so S3 serves neither until it holds the
 * right bytes. Then the S3 object under the old key is deleted, and a {@code put} repair copies
 * Cloudinary's original to the new key. In {@code DUAL_S3_PRIMARY} S3 is the truth instead: its own
 * object is copied to the new key first and Cloudinary follows it ({@link S3Moves}). A refused
 * rename changes nothing.
 */
final class Renames {
  private final WriteContext ctx;
  private final S3Deletes s3;
  private final Consumer<LedgerKey> forget;
  private final Supplier<WriteMode> mode;
  private final S3Moves s3Moves;

  Renames(WriteContext ctx, S3Deletes s3, Consumer<LedgerKey> forget, Supplier<WriteMode> mode) {
    this.ctx = ctx;
    this.s3 = s3;
    this.forget = forget;
    this.mode = mode;
    this.s3Moves = new S3Moves(ctx);
  }

  /** The per-document queue keys a rename holds: both ids (none when either is missing). */
  static List<String> queueKeys(UploadCall call, Map<String, List<String>> params) {
    return RenameParams.of(params)
        .map(
            r ->
                List.of(
                    KeyedQueue.documentKey(call.resourceType(), r.type(), r.from()),
                    KeyedQueue.documentKey(call.resourceType(), r.toType(), r.to())))
        .orElse(List.of());
  }

  /**
   * Sends the rename after committing its intents, so a process killed after Cloudinary renamed and
   * before the ledger followed leaves the repair to follow it: a {@code delete} of the old key (its
   * repair finds Cloudinary without it and tombstones the row and empties S3) and a {@code put} of
   * the new key dated by {@link IntentReason#renamed} (its repair copies Cloudinary's renamed
   * asset, also over a tombstone older than the rename). A rename that never reached Cloudinary
   * changes nothing under either repair; a refused one settles both intents.
   */
  CompletableFuture<ApiAnswer> rename(UploadCall call, Map<String, List<String>> params) {
    RenameParams r = RenameParams.required(params);
    String cloud = ctx.account().cloudName();
    LedgerKey fromKey = r.fromKey(cloud, call.resourceType());
    LedgerKey toKey = r.toKey(cloud, call.resourceType());
    // Only a caller DocShift can authenticate too makes ledger writes before Cloudinary answers.
    Intents intents =
        ctx.auth().accepts(FormParams.signed(params))
            ? intend(fromKey, toKey)
            : new Intents(toKey, null, Map.of());
    boolean s3Primary = mode.get() == WriteMode.DUAL_S3_PRIMARY;
    return Removals.relayedAfter(
        ctx, call, reply -> moved(fromKey, reply, s3Primary, intents), intents::settle);
  }

  private Intents intend(LedgerKey fromKey, LedgerKey toKey) {
    RepairTicket put =
        ctx.outbox()
            .intend(
                toKey,
                RepairOperation.PUT,
                IntentReason.renamed(ctx.clock().instant()),
                WriteContext.INTENT_GRACE);
    Map<LedgerKey, RepairTicket> delete =
        fromKey.equals(toKey) ? Map.of() : s3.intended(List.of(fromKey), "rename in flight");
    return new Intents(toKey, put, delete);
  }

  private CompletableFuture<Void> moved(
      LedgerKey fromKey, CloudinaryApi.Reply reply, boolean s3Primary, Intents intents) {
    CloudinaryReplies.Stored stored =
        CloudinaryReplies.storedAfter("rename", ctx.account().cloudName(), reply);
    LedgerKey toKey = stored.asset().key();
    Optional<DocumentRecord> before =
        ctx.documents().move(fromKey, stored.asset(), "renamed to " + toKey.publicId());
    forget.accept(toKey);
    if (fromKey.equals(toKey)) {
      intents.copyFromCloudinary(toKey, fromKey);
      s3.refused(intents.delete());
      return CompletableFuture.completedFuture(null);
    }
    forget.accept(fromKey);
    List<DocumentRecord> gone = before.map(List::of).orElse(List.of());
    if (!s3Primary) {
      intents.copyFromCloudinary(toKey, fromKey);
      return s3.follow(gone, intents.delete());
    }
    if (before.isEmpty()) {
      return superseded(toKey, stored.asset().format())
          .thenCompose(
              x -> {
                intents.copyFromCloudinary(toKey, fromKey);
                return s3.follow(gone, intents.delete());
              });
    }
    // The old object is deleted only once its bytes are under the new key (or known lost).
    return s3Moves
        .move(before.get(), stored.asset())
        .thenCompose(
            copied -> {
              if (copied) {
                intents.settlePut();
                return CompletableFuture.<Void>completedFuture(null);
              }
              String format =
                  Optional.ofNullable(stored.asset().format())
                      .orElse(before.get().asset().format());
              return superseded(toKey, format)
                  .thenRun(() -> intents.copyFromCloudinary(toKey, fromKey));
            })
        .thenCompose(
            x ->
                s3.deleteObject(
                    fromKey,
                    before.get().asset().format(),
                    Optional.ofNullable(intents.delete().get(fromKey))));
  }

  /**
   * In {@code DUAL_S3_PRIMARY}, before the new key waits for Cloudinary's renamed copy: S3's object
   * under it is superseded by the rename, and is deleted first. Left there, a {@code cld_put} of
   * the key still queued from an earlier write would push it over Cloudinary's renamed copy (a
   * renamed asset keeps its older version, so S3's object looks newer), and both stores would end
   * with the bytes the rename replaced.
   */
  private CompletableFuture<Void> superseded(LedgerKey toKey, String format) {
    return s3.deleteObject(toKey, format, Optional.empty());
  }

  /**
   * A rename's intents: the new key's {@code put} (null when none was taken before the call), the
   * old key's {@code delete} (if another key, and taken).
   */
  private final class Intents {
    private final LedgerKey toKey;
    private final RepairTicket put;
    private final Map<LedgerKey, RepairTicket> delete;

    Intents(LedgerKey toKey, RepairTicket put, Map<LedgerKey, RepairTicket> delete) {
      this.toKey = toKey;
      this.put = put;
      this.delete = delete;
    }

    Map<LedgerKey, RepairTicket> delete() {
      return delete;
    }

    /** Cloudinary refused: nothing moved. */
    void settle() {
      settlePut();
      s3.refused(delete);
    }

    void settlePut() {
      if (put != null) {
        ctx.outbox().settle(put);
      }
    }

    /** Due now: the repair worker copies Cloudinary's original under the new key. */
    void copyFromCloudinary(LedgerKey renamed, LedgerKey fromKey) {
      String reason = "renamed from " + fromKey.publicId();
      if (put != null && renamed.equals(toKey)) {
        ctx.outbox().dueNow(put, reason);
        return;
      }
      // No intent, or Cloudinary named another key than the call did: that key's repair.
      ctx.outbox().enqueue(renamed, RepairOperation.PUT, reason);
      settlePut();
    }
  }
}
