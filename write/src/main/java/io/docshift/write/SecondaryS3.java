package io.docshift.write;

import io.docshift.copier.CopyFailure;
import io.docshift.copier.Inspection;
import io.docshift.core.digest.Digests;
import io.docshift.core.key.DocumentKey;
import io.docshift.core.outcome.Backend;
import io.docshift.core.outcome.ClassifiedException;
import io.docshift.core.outcome.Outcome;
import io.docshift.core.store.DocumentMeta;
import io.docshift.core.store.PutCondition;
import io.docshift.core.store.PutRequest;
import io.docshift.core.store.PutResult;
import io.docshift.core.store.StoreException;
import io.docshift.ledger.DocumentRecord;
import io.docshift.ledger.RepairTicket;
import io.docshift.ledger.RowSeen;
import io.docshift.ledger.S3Copy;
import io.docshift.ledger.S3State;
import io.docshift.ledger.Transition;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * S3 as the secondary of a Cloudinary-primary dual-write, written once Cloudinary accepted: puts
 * the bytes of the version Cloudinary named, knows S3 holds them before the ledger calls the copy
 * verified, and on any failure leaves the repair intent due (never fails the client: the primary
 * already has the bytes and the outbox row is committed). Every ledger change drops the document
 * from this instance's read cache, so the client's next read through the same instance sees its own
 * write.
 *
 * <p>What S3 holds is judged by the copier's rules ({@link Inspection}): the put is conditional on
 * the object the ledger last recorded ({@code If-None-Match: *} when it recorded none, {@code
 * If-Match} on its MD5 when it did), and a refused condition asks S3 what it holds now: a newer
 * version is never overwritten, the same bytes of this version (a streamed copy that got there
 * first) need no put, anything else is replaced on the ETag seen. What differs from the copier, and
 * why: the bytes come from the client's spool with both digests known before the put (no download,
 * no {@code Content-MD5} from a listing), the ledger records the write in one transaction under the
 * writer's {@link RowSeen} ({@code recordWrite}, which may revive a tombstone the copier must leave
 * alone), and nothing is retried here: the client waits for this, so a failure leaves the intent
 * due and the repair worker retries through the copier.
 *
 * <p>A put S3 accepted needs no {@code HEAD} afterwards: S3 checked the body against its {@code
 * Content-MD5} and SHA-256 checksum and answered the MD5 as ETag, so it stored these bytes with
 * this version's metadata; the row is verified and the intent settled in one transaction. S3 is
 * asked ({@code HEAD}) only when it did not take the put as this write's: a refused condition, or
 * an ETag other than the MD5. A streamed copy of the same bytes from an older listing that replaces
 * the object after the put answered keeps its older version claim in the metadata (the bytes, which
 * reads check, are the same); a {@code HEAD} after the put only narrowed that window, since the
 * copy could land after it as well.
 */
final class SecondaryS3 {
  private static final Logger LOG = LoggerFactory.getLogger(SecondaryS3.class);

  /** Refused conditions tolerated before the write is left to the repair, as in the copier. */
  private static final int MAX_CONFLICTS = 3;

  private final WriteContext ctx;

  SecondaryS3(WriteContext ctx) {
    this.ctx = ctx;
  }

  /** Puts what Cloudinary stored (the client's bytes when given, else read back), then confirms. */
  CompletableFuture<Void> write(
      CloudinaryReplies.Stored s,
      FileRegion bytes,
      Digests digests,
      String mediaType,
      RepairTicket ticket,
      RowSeen seen) {
    CompletableFuture<ReadBack.Source> source =
        bytes != null
            ? CompletableFuture.completedFuture(
                new ReadBack.Source(bytes, digests, mediaType, null))
            : UploadStep.async("read-back", id(s), () -> ReadBack.of(ctx, s.key()));
    CompletableFuture<Void> done =
        source.thenCompose(
            src ->
                firstCondition(s, seen)
                    .thenCompose(condition -> place(s, src, condition, 0))
                    .thenCompose(
                        put ->
                            put
                                ? recorded(s, src.digests(), ticket, seen)
                                : confirm(s, src.digests(), ticket, seen))
                    .whenComplete((x, t) -> src.delete()));
    return done.exceptionallyAsync(
        t -> {
          fail(s, ticket, seen, WriteContext.describe(s.key(), t), outcome(t));
          return null;
        },
        ctx.blocking());
  }

  /**
   * The put's first condition, from the ledger alone (no HEAD on the common paths): the row the
   * writer saw, or the row now when it could not name the document up front. Empty when only S3 can
   * tell (a copy recorded as neither verified nor copied, or without its MD5).
   */
  private CompletableFuture<Optional<PutCondition>> firstCondition(
      CloudinaryReplies.Stored s, RowSeen seen) {
    if (seen.key() != null) {
      return CompletableFuture.completedFuture(condition(seen.row()));
    }
    return ctx.blocking(() -> condition(ctx.documents().find(s.asset().key())));
  }

  private static Optional<PutCondition> condition(Optional<DocumentRecord> row) {
    if (row.isEmpty()
        || Inspection.noKnownCopy(row.get())
        || row.get().state() == S3State.DELETED) {
      return Optional.of(PutCondition.ifAbsent());
    }
    S3Copy copy = row.get().s3();
    boolean recorded = copy.state() == S3State.VERIFIED || copy.state() == S3State.COPIED;
    return recorded && copy.md5() != null
        ? Optional.of(PutCondition.ifMatch("\"" + copy.md5() + "\""))
        : Optional.empty();
  }

  /**
   * Puts under {@code condition} (none: inspect first); a refused condition means S3 changed since
   * the ledger said, so S3 is inspected and the copier's rules decide. True when this put stored
   * the bytes: S3 checked them against both digests ({@code Content-MD5} and the SHA-256 checksum)
   * and answered with their MD5 as ETag, so no HEAD needs to confirm them. False when S3 already
   * held them, or answered another ETag: then {@link #confirm} looks.
   */
  private CompletableFuture<Boolean> place(
      CloudinaryReplies.Stored s,
      ReadBack.Source src,
      Optional<PutCondition> condition,
      int conflicts) {
    if (condition.isEmpty()) {
      return inspect(s, src, conflicts);
    }
    PutRequest request =
        WriteContext.putBuilder(src.bytes(), src.digests(), src.mediaType())
            .cloudinaryVersion(s.asset().version())
            .condition(condition.get())
            .build();
    return UploadStep.async("s3-put", id(s), () -> ctx.s3().put(s.key(), request))
        .handle((r, t) -> t == null ? new Put(r, null) : new Put(null, t))
        .thenCompose(
            put -> {
              Throwable t = put.failure();
              if (t == null) {
                return CompletableFuture.completedFuture(
                    put.result().md5Hex().filter(src.digests().md5()::equals).isPresent());
              }
              if (conflicts < MAX_CONFLICTS && refused(t, condition.get())) {
                return inspect(s, src, conflicts + 1);
              }
              return CompletableFuture.failedFuture(WriteContext.cause(t));
            });
  }

  /** A put's answer, or its failure. */
  private record Put(PutResult result, Throwable failure) {}

  private CompletableFuture<Boolean> inspect(
      CloudinaryReplies.Stored s, ReadBack.Source src, int conflicts) {
    return found(s.key())
        .thenCompose(
            found -> {
              Inspection seen = Inspection.forBytes(found, s.asset().version(), src.digests());
              switch (seen.kind()) {
                case NEWER:
                  return CompletableFuture.failedFuture(
                      new IllegalStateException(
                          "S3 holds newer version " + seen.found().get().version().getAsLong()));
                case HELD:
                  return CompletableFuture.completedFuture(false);
                default:
                  return place(s, src, Optional.of(seen.condition()), conflicts);
              }
            });
  }

  /** The object S3 holds at {@code key}, empty when it holds none. */
  private CompletableFuture<Optional<DocumentMeta>> found(DocumentKey key) {
    return UploadStep.async("s3-head", key.publicId(), () -> ctx.s3().head(key))
        .thenApply(Optional::of)
        .exceptionallyCompose(
            t ->
                outcome(t) == Outcome.NOT_FOUND
                    ? CompletableFuture.completedFuture(Optional.empty())
                    : CompletableFuture.failedFuture(WriteContext.cause(t)));
  }

  /**
   * S3 refused the put's condition: 412/409 as the copier sorts them, or a 404 for an {@code
   * If-Match} whose object is gone.
   */
  private static boolean refused(Throwable t, PutCondition condition) {
    Throwable cause = WriteContext.cause(t);
    if (!(cause instanceof StoreException e)) {
      return false;
    }
    return CopyFailure.of(e).preconditionFailed()
        || (condition.requireEtag().isPresent() && e.outcome() == Outcome.NOT_FOUND);
  }

  /**
   * S3 holds the write: check it holds these bytes (by SHA-256, or by MD5 for a streamed copy of
   * them that raced this write), then verify in the ledger and settle the intent. {@code seen} is
   * the row as the writer saw it before Cloudinary took the upload.
   */
  CompletableFuture<Void> confirm(
      CloudinaryReplies.Stored s, Digests digests, RepairTicket ticket, RowSeen seen) {
    return UploadStep.async("s3-head", id(s), () -> ctx.s3().head(s.key()))
        .thenCompose(meta -> versioned(s, digests, meta))
        .handleAsync(
            (meta, t) -> {
              if (t != null) {
                fail(s, ticket, seen, WriteContext.describe(s.key(), t), outcome(t));
              } else if (!Inspection.holds(meta, digests)) {
                fail(
                    s,
                    ticket,
                    seen,
                    s.key() + ": S3 holds other bytes (a concurrent write won)",
                    null);
              } else {
                record(s, digests, ticket, seen);
              }
              return null;
            },
            ctx.blocking());
  }

  /** The put stored these bytes: verify in the ledger and settle the intent, no HEAD. */
  CompletableFuture<Void> recorded(
      CloudinaryReplies.Stored s, Digests digests, RepairTicket ticket, RowSeen seen) {
    return ctx.blocking(
        () -> {
          record(s, digests, ticket, seen);
          return null;
        });
  }

  private void record(
      CloudinaryReplies.Stored s, Digests digests, RepairTicket ticket, RowSeen seen) {
    Transition recorded =
        UploadStep.sync(
            "ledger-record",
            id(s),
            () ->
                ctx.documents()
                    .recordWrite(
                        s.asset(), digests.md5(), digests.sha256(), seen, ctx.outbox(), ticket));
    if (recorded == Transition.APPLIED) {
      ctx.written(s.key());
      ctx.metrics().secondaryWrite(Backend.S3, Outcome.SUCCESS);
    } else {
      fail(s, ticket, seen, s.key() + ": ledger refused the write: " + recorded, null);
    }
  }

  /**
   * These bytes under an older version claim (or none): a streamed copy of the same bytes from an
   * older listing replaced this write's object. Record this version on the object (which must still
   * be the one seen), so S3's metadata says which version it holds, as for every other write; a
   * newer claim is left alone.
   */
  private CompletableFuture<DocumentMeta> versioned(
      CloudinaryReplies.Stored s, Digests digests, DocumentMeta meta) {
    long version = s.asset().version();
    if (!Inspection.holds(meta, digests)
        || (meta.version().isPresent() && meta.version().getAsLong() >= version)) {
      return CompletableFuture.completedFuture(meta);
    }
    return UploadStep.async("s3-copy", id(s), () -> ctx.s3().recordVersion(s.key(), meta, version))
        .thenApply(x -> meta);
  }

  private void fail(
      CloudinaryReplies.Stored s, RepairTicket ticket, RowSeen seen, String why, Outcome outcome) {
    LOG.warn("secondary S3 write left for repair: {}", why);
    ctx.documents().upsertWrite(s.asset(), seen);
    ctx.written(s.key());
    ctx.outbox().fail(ticket, why);
    ctx.metrics().secondaryWrite(Backend.S3, outcome == null ? Outcome.CHECKSUM_MISMATCH : outcome);
  }

  private static String id(CloudinaryReplies.Stored s) {
    return s.asset().key().publicId();
  }

  static Outcome outcome(Throwable t) {
    Throwable cause = WriteContext.cause(t);
    return cause instanceof ClassifiedException
        ? ((ClassifiedException) cause).outcome()
        : Outcome.LOCAL_ERROR;
  }
}
