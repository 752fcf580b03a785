package io.docshift.write;

import io.docshift.core.key.ResourceType;
import io.docshift.ledger.LedgerKey;
import io.docshift.ledger.RepairTicket;
import io.docshift.ledger.RowSeen;
import io.docshift.ledger.WriteStart;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uploads while Cloudinary is the primary ({@code CLOUDINARY_ONLY}, {@code
 * DUAL_CLOUDINARY_PRIMARY}), and uploads DocShift cannot authenticate itself (unsigned presets,
 * tokens) in {@code DUAL_S3_PRIMARY}: the client's own request goes to Cloudinary byte for byte, so
 * Cloudinary answers in its own words; the client gets that answer.
 *
 * <p>S3 is written after Cloudinary accepted the upload: a request Cloudinary refuses (for any
 * reason: an unknown preset, a bad file, a 5xx, no answer) must leave S3 exactly as it was, and an
 * overwrite S3 took in parallel could not be taken back (its old bytes are gone; a staging key
 * promoted after acceptance would cost a second full copy on most S3 implementations). The price is
 * latency: such an upload takes Cloudinary's time plus S3's. S3 is written under the key, version
 * and format Cloudinary's answer names, from the client's bytes when their MD5 equals Cloudinary's
 * etag, else from what Cloudinary stored (read back); an answer that kept an existing asset ({@code
 * existing: true}) writes nothing.
 *
 * <p>One exception: a <em>new</em> document (the ledger has no row) whose signed upload DocShift
 * authenticated and whose key it named up front is put to S3 at the same time, create-only ({@link
 * ParallelS3}): there is nothing to overwrite, so a refusal only has to remove the object this
 * write created. The client waits for the slower store; its answer still comes after both stores
 * answered and the ledger recorded the write (or, refused, after the object was taken back).
 *
 * <p>When the key can be named up front, its repair intent is committed before Cloudinary sees the
 * request (so a crash between Cloudinary's 200 and S3's write leaves a due row) and settled again
 * when Cloudinary refuses. The bytes are hashed while Cloudinary takes them. The ledger calls the
 * copy verified once S3 accepted a put checked against both digests (or, when S3 already held the
 * bytes, once a {@code HEAD} showed them), and the client is answered only after the intent is
 * settled or failed: a failed secondary leaves a due outbox row.
 */
final class CloudinaryFirst {
  private static final Logger LOG = LoggerFactory.getLogger(CloudinaryFirst.class);

  private final WriteContext ctx;
  private final SecondaryS3 secondary;
  private final ParallelS3 parallel;
  private final AccessControlledUploads accessControlled;

  CloudinaryFirst(WriteContext ctx) {
    this.ctx = ctx;
    this.secondary = new SecondaryS3(ctx);
    this.parallel = new ParallelS3(ctx);
    this.accessControlled = new AccessControlledUploads(ctx);
  }

  /**
   * {@code CLOUDINARY_ONLY}: a pass-through that also tells the ledger what now exists. With the
   * parsed {@code form} (null when the body could not be parsed) the caller holds the document's
   * queue, so the row read before Cloudinary sees the upload tells whether the upsert is ordered
   * after everything the row says ({@link RowSeen}): then it revives a tombstone of a destroy
   * before it even when Cloudinary numbers it with the destroyed version or a lower one.
   */
  CompletableFuture<ApiAnswer> only(UploadCall call, SpooledForm form) {
    return ctx.blocking(() -> form == null ? RowSeen.unknown() : seen(call, form))
        .thenCompose(seen -> only(call, seen));
  }

  private CompletableFuture<ApiAnswer> only(UploadCall call, RowSeen seen) {
    return ctx.api()
        .post(call.rawPath(), call.body(), call.headers())
        .thenComposeAsync(
            reply -> {
              Optional<CloudinaryReplies.Stored> stored =
                  reply.status() == 200 ? stored(reply) : Optional.empty();
              if (stored.isPresent() && AccessControlledUploads.applies(reply)) {
                // A copy backfilled while the document was public must go too.
                return accessControlled
                    .follow(stored.get())
                    .thenApply(x -> ApiAnswer.relayed(reply));
              }
              stored.ifPresent(
                  s -> {
                    ctx.documents().upsertWrite(s.asset(), seen);
                    ctx.written(s.key());
                  });
              return CompletableFuture.completedFuture(ApiAnswer.relayed(reply));
            },
            ctx.blocking());
  }

  /**
   * Cloudinary first; S3 once Cloudinary accepted, or, for a new document whose upload DocShift
   * {@code authenticated} (signed, verified, not access-controlled) and whose key it named up
   * front, at the same time ({@link ParallelS3}).
   */
  CompletableFuture<ApiAnswer> dual(UploadCall call, SpooledForm form, boolean authenticated) {
    String id = form.param("public_id");
    return ctx.blocking(() -> started(call, form, id))
        .thenCompose(st -> stores(call, st, id, authenticated, primary(call, id)));
  }

  /**
   * The rest of a dual upload once its Cloudinary call started ({@code primary}): S3 in parallel
   * for a new, authenticated document named up front (unless Cloudinary already refused), else
   * after Cloudinary's answer; then the settlement.
   */
  CompletableFuture<ApiAnswer> stores(
      UploadCall call,
      Started st,
      String id,
      boolean authenticated,
      CompletableFuture<Primary> primary) {
    boolean refused = primary.isDone() && !primary.join().accepted();
    if (authenticated && !refused && isNew(st.seen()) && st.p().ticket() != null) {
      return inParallel(st.p(), id, st.seen(), primary);
    }
    return sent(st.p(), id, primary)
        .thenComposeAsync(sent -> settle(sent.p(), sent.o(), st.seen()), ctx.blocking());
  }

  /**
   * The upload made ready and the document's row as seen before Cloudinary sees the upload (the
   * caller holds the document's queue); when the S3 key is named up front, its repair intent is
   * committed in the transaction that reads the row.
   */
  private Started started(UploadCall call, SpooledForm form, String id) {
    Prepared p = Prepared.unhashed(ctx, call, form, UpFrontKey.of(ctx, call, form));
    LedgerKey key = rowKey(call, form);
    if (key == null || p.guess() == null) {
      return new Started(p, UploadStep.sync("ledger-row", id, () -> seen(call, form)));
    }
    WriteStart start = UploadStep.sync("ledger-row-intent", id, () -> ctx.startPut(key, p.guess()));
    return new Started(p.withTicket(start.ticket()), start.seen());
  }

  /** The ledger has no row for the document the upload names: S3 should hold nothing there. */
  private static boolean isNew(RowSeen seen) {
    return seen.key() != null && seen.row().isEmpty();
  }

  /**
   * Sends the client's request to Cloudinary and hashes the bytes for S3 at the same time: only
   * S3's put needs the digests, and it waits for Cloudinary's answer anyway. A refusal is answered
   * at once, without waiting for the hash. Bytes that cannot be read back from the spool count as
   * not the client's: S3 then gets what Cloudinary stored.
   */
  private CompletableFuture<Sent> sent(Prepared p, String id, CompletableFuture<Primary> primary) {
    CompletableFuture<Prepared> hashed = ctx.blocking(() -> p.hashed(id));
    return primary.thenCompose(
        o ->
            o.accepted()
                ? hashed.exceptionally(t -> unhashed(p, id, t)).thenApply(h -> new Sent(h, o))
                : CompletableFuture.completedFuture(new Sent(p, o)));
  }

  /**
   * S3's create-only put and Cloudinary's upload at once; once both answered, the write is recorded
   * when both stored the same bytes under the key named up front, else this write's S3 object is
   * taken back and the sequential rules settle the rest ({@link #settle}).
   */
  private CompletableFuture<ApiAnswer> inParallel(
      Prepared p, String id, RowSeen seen, CompletableFuture<Primary> primary) {
    CompletableFuture<Prepared> hashed =
        ctx.blocking(() -> p.hashed(id)).exceptionally(t -> unhashed(p, id, t));
    CompletableFuture<ParallelS3.Placed> placed =
        hashed.thenCompose(
            h ->
                h.digests() == null
                    ? CompletableFuture.completedFuture(ParallelS3.Placed.NOTHING)
                    : parallel.put(h, id));
    return primary
        .thenCombine(hashed, (o, h) -> new Sent(h, o))
        .thenCombineAsync(placed, (sent, put) -> settleParallel(sent, put, seen), ctx.blocking())
        .thenCompose(settled -> settled);
  }

  private CompletableFuture<ApiAnswer> settleParallel(
      Sent sent, ParallelS3.Placed placed, RowSeen seen) {
    Prepared p = sent.p();
    Optional<CloudinaryReplies.Stored> same =
        placed == ParallelS3.Placed.STORED && sent.o().accepted()
            ? copied(sent.o().reply())
                .filter(s -> s.key().equals(p.guess()))
                .filter(s -> p.digests().md5().equals(s.asset().etag()))
            : Optional.empty();
    if (same.isPresent()) {
      ApiAnswer answer = ApiAnswer.relayed(sent.o().reply());
      return secondary.recorded(same.get(), p.digests(), p.ticket(), seen).thenApply(x -> answer);
    }
    CompletableFuture<Void> back =
        placed == ParallelS3.Placed.NOTHING
            ? CompletableFuture.completedFuture(null)
            : parallel.takeBack(p.guess(), p.digests());
    return back.handle((x, t) -> t)
        .thenComposeAsync(
            t -> {
              if (t != null && !sent.o().accepted()) {
                // This write's object may still be in S3. The intent stays as it is (its reason
                // names the object's format) and comes due after its grace: the repair then
                // removes what Cloudinary does not hold.
                LOG.warn("upload {}: parallel S3 object not taken back", p.guess(), t);
                return CompletableFuture.completedFuture(answerOf(sent.o()));
              }
              return settle(p, sent.o(), seen);
            },
            ctx.blocking());
  }

  /** Cloudinary's answer to the client's request, as it came. */
  private CompletableFuture<Primary> primary(UploadCall call, String id) {
    return UploadStep.async(
            "cloudinary", id, () -> ctx.api().post(call.rawPath(), call.body(), call.headers()))
        .handle((reply, t) -> new Primary(reply, t == null ? null : cause(t)));
  }

  private static Prepared unhashed(Prepared p, String id, Throwable t) {
    LOG.warn("upload {}: spool not hashed, S3 gets Cloudinary's copy", id, t);
    return p;
  }

  /**
   * The row of the document the upload names, read before Cloudinary sees the upload (the caller
   * holds the document's queue), so the settlement can tell whether anything changed it since.
   */
  private RowSeen seen(UploadCall call, SpooledForm form) {
    LedgerKey key = rowKey(call, form);
    return key == null ? RowSeen.unknown() : new RowSeen(key, ctx.documents().find(key));
  }

  /** The key of the document the upload names ({@link #seen}), or null when it names none. */
  LedgerKey rowKey(UploadCall call, SpooledForm form) {
    String id = form.param("public_id");
    if (id == null || ResourceType.fromWire(call.resourceType()).isEmpty()) {
      return null;
    }
    String type = form.param("type") == null ? "upload" : form.param("type");
    return new LedgerKey(ctx.account().cloudName(), call.resourceType(), type, id);
  }

  private CompletableFuture<ApiAnswer> settle(Prepared p, Primary o, RowSeen seen) {
    if (!o.accepted()) {
      // Refused or unanswered: neither store was written by DocShift, so the intent just goes.
      settleQuietly(p.ticket());
      return CompletableFuture.completedFuture(answerOf(o));
    }
    ApiAnswer answer = ApiAnswer.relayed(o.reply());
    Optional<CloudinaryReplies.Stored> stored = stored(o.reply());
    if (stored.isEmpty() || keptExisting(o.reply())) {
      settleQuietly(p.ticket());
      return CompletableFuture.completedFuture(answer);
    }
    CloudinaryReplies.Stored s = stored.get();
    if (AccessControlledUploads.applies(o.reply())) {
      settleQuietly(p.ticket());
      return accessControlled.follow(s).thenApply(x -> answer);
    }
    boolean ours = p.digests() != null && p.digests().md5().equals(s.asset().etag());
    RepairTicket ticket = p.ticket();
    if (ticket != null && !s.key().equals(p.guess())) {
      ctx.outbox().settle(ticket);
      ticket = null;
    }
    if (ticket == null) {
      ticket = ctx.intendPut(s.key());
    }
    return secondary
        .write(s, ours ? p.bytes() : null, ours ? p.digests() : null, p.mediaType(), ticket, seen)
        .thenApply(x -> answer);
  }

  void settleQuietly(RepairTicket ticket) {
    if (ticket != null) {
      ctx.outbox().settle(ticket);
    }
  }

  private static Throwable cause(Throwable t) {
    return WriteContext.cause(t);
  }

  private static boolean keptExisting(CloudinaryApi.Reply reply) {
    try {
      return CloudinaryReplies.keptExisting(reply);
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable Cloudinary upload answer", e);
    }
  }

  private Optional<CloudinaryReplies.Stored> stored(CloudinaryApi.Reply reply) {
    try {
      return CloudinaryReplies.stored(ctx.account().cloudName(), reply);
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable Cloudinary upload answer", e);
    }
  }

  private static ApiAnswer answerOf(Primary o) {
    return o.failure() != null ? Answers.unreachable(o.failure()) : ApiAnswer.relayed(o.reply());
  }

  /**
   * What Cloudinary stored that S3 should hold too: empty when its answer names nothing, kept an
   * existing asset, or is access-controlled (Cloudinary's alone).
   */
  private Optional<CloudinaryReplies.Stored> copied(CloudinaryApi.Reply reply) {
    Optional<CloudinaryReplies.Stored> stored = stored(reply);
    return stored.isEmpty() || keptExisting(reply) || AccessControlledUploads.applies(reply)
        ? Optional.empty()
        : stored;
  }

  /** Cloudinary's answer, or its failure to answer. */
  record Primary(CloudinaryApi.Reply reply, Throwable failure) {
    boolean accepted() {
      return failure == null && reply.status() == 200;
    }
  }

  /** The upload made ready, and its document's row as seen before either store was written. */
  record Started(Prepared p, RowSeen seen) {}

  /** The upload made ready and hashed, and Cloudinary's answer to it. */
  private record Sent(Prepared p, Primary o) {}
}
