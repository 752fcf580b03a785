package io.docshift.write;

import io.docshift.core.digest.BodyHasher;
import io.docshift.core.digest.Digests;
import io.docshift.core.key.DocumentKey;
import io.docshift.core.outcome.Backend;
import io.docshift.core.outcome.ClassifiedException;
import io.docshift.core.outcome.Outcome;
import io.docshift.core.store.DocumentMeta;
import io.docshift.ledger.RepairTicket;
import io.docshift.ledger.RowSeen;
import io.docshift.ledger.Transition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * S3 as the secondary of a Cloudinary-primary dual-write, written once Cloudinary accepted: writes
 * it, reads it back before the ledger calls the copy verified, and on any failure leaves the repair
 * intent due (never fails the client: the primary already has the bytes and the outbox row is
 * committed). Every ledger change drops the document from this instance's read cache, so the
 * client's next read through the same instance sees its own write.
 */
final class SecondaryS3 {
  private static final Logger LOG = LoggerFactory.getLogger(SecondaryS3.class);

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
    CompletableFuture<Source> source =
        bytes != null
            ? CompletableFuture.completedFuture(new Source(bytes, digests, mediaType, null))
            : readBack(s.key());
    CompletableFuture<Void> done =
        source.thenCompose(
            src ->
                ctx.s3()
                    .put(
                        s.key(),
                        WriteContext.put(
                            src.bytes(), src.digests(), src.mediaType(), s.asset().version()))
                    .thenCompose(r -> confirm(s, src.digests(), ticket, seen))
                    .whenComplete((x, t) -> src.delete()));
    return done.exceptionallyAsync(
        t -> {
          fail(s, ticket, seen, WriteContext.describe(s.key(), t), outcome(t));
          return null;
        },
        ctx.blocking());
  }

  /**
   * S3 holds the write: check it is ours, then verify in the ledger and settle the intent. {@code
   * seen} is the row as the writer saw it before Cloudinary took the upload.
   */
  CompletableFuture<Void> confirm(
      CloudinaryReplies.Stored s, Digests digests, RepairTicket ticket, RowSeen seen) {
    return ctx.s3()
        .head(s.key())
        .thenCompose(meta -> versioned(s, digests, meta))
        .handleAsync(
            (meta, t) -> {
              if (t != null) {
                fail(s, ticket, seen, WriteContext.describe(s.key(), t), outcome(t));
              } else if (!meta.sha256Hex().equals(Optional.of(digests.sha256()))) {
                fail(
                    s,
                    ticket,
                    seen,
                    s.key() + ": S3 holds other bytes (a concurrent write won)",
                    null);
              } else {
                Transition recorded =
                    ctx.documents().recordWrite(s.asset(), digests.md5(), digests.sha256(), seen);
                if (recorded == Transition.APPLIED) {
                  ctx.written(s.key());
                  ctx.outbox().settle(ticket);
                  ctx.metrics().secondaryWrite(Backend.S3, Outcome.SUCCESS);
                } else {
                  fail(s, ticket, seen, s.key() + ": ledger refused the write: " + recorded, null);
                }
              }
              return null;
            },
            ctx.blocking());
  }

  /**
   * A tee put the bytes before Cloudinary named the version: record it on the object (which must
   * still be ours), so that S3's metadata says which version it holds, as for every other write.
   */
  private CompletableFuture<DocumentMeta> versioned(
      CloudinaryReplies.Stored s, Digests digests, DocumentMeta meta) {
    long version = s.asset().version();
    if (!meta.sha256Hex().equals(Optional.of(digests.sha256()))
        || meta.version().equals(OptionalLong.of(version))) {
      return CompletableFuture.completedFuture(meta);
    }
    return ctx.s3().recordVersion(s.key(), meta, version).thenApply(x -> meta);
  }

  private void fail(
      CloudinaryReplies.Stored s, RepairTicket ticket, RowSeen seen, String why, Outcome outcome) {
    LOG.warn("secondary S3 write left for repair: {}", why);
    ctx.documents().upsertWrite(s.asset(), seen);
    ctx.written(s.key());
    ctx.outbox().fail(ticket, why);
    ctx.metrics().secondaryWrite(Backend.S3, outcome == null ? Outcome.CHECKSUM_MISMATCH : outcome);
  }

  private CompletableFuture<Source> readBack(DocumentKey key) {
    Path file;
    try {
      file = Files.createTempFile(ctx.spoolDir(), "readback-", ".bin");
    } catch (IOException e) {
      return CompletableFuture.failedFuture(new UncheckedIOException(e));
    }
    return ctx.cloudinary()
        .get(key, Optional.empty())
        .thenCompose(
            response ->
                spool(response.body(), file)
                    .thenApplyAsync(
                        digests ->
                            new Source(
                                FileRegion.whole(file, digests.length()),
                                digests,
                                response.meta().contentType(),
                                file),
                        ctx.blocking()))
        .whenComplete(
            (s, t) -> {
              if (t != null) {
                deleteQuietly(file);
              }
            });
  }

  /**
   * Spools {@code body} to {@code file}, hashing it on the way, so the read-back is read once. The
   * channel is closed whatever the end.
   */
  private static CompletableFuture<Digests> spool(Publisher<ByteBuffer> body, Path file) {
    FileChannel channel;
    try {
      channel = FileChannel.open(file, StandardOpenOption.WRITE);
    } catch (IOException e) {
      return CompletableFuture.failedFuture(new UncheckedIOException(e));
    }
    BodyHasher hasher = BodyHasher.spooling(channel);
    body.subscribe(hasher);
    return hasher.done().whenComplete((d, t) -> closeQuietly(channel));
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // Everything is written, or the outcome is already a failure.
    }
  }

  static Outcome outcome(Throwable t) {
    Throwable cause = WriteContext.cause(t);
    return cause instanceof ClassifiedException
        ? ((ClassifiedException) cause).outcome()
        : Outcome.LOCAL_ERROR;
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // A leftover spool file in the temp directory is harmless.
    }
  }

  /** Bytes to put, and the temp file to delete afterwards (null when the caller owns them). */
  private record Source(FileRegion bytes, Digests digests, String mediaType, Path temp) {
    void delete() {
      if (temp != null) {
        deleteQuietly(temp);
      }
    }
  }
}
