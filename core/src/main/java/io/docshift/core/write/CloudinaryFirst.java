package io.docshift.core.write;

import io.docshift.core.key.DocumentKey;
import io.docshift.core.key.InvalidDocumentKeyException;
import io.docshift.core.key.ResourceType;
import io.docshift.core.key.UploadKeys;
import io.docshift.core.ledger.RepairTicket;
import io.docshift.core.ledger.UpsertOrigin;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Uploads while Cloudinary is the primary ({@code CLOUDINARY_ONLY}, {@code
 * DUAL_CLOUDINARY_PRIMARY}): the client's own request goes to Cloudinary byte for byte, so
 * Cloudinary verifies the signature and answers in its own words; the client gets that answer.
 *
 * <p>In the dual mode, when the key is known up front (explicit {@code public_id}, a plain upload,
 * a format that can be named) S3 is written at the same time from the same spool file, each store
 * reading at its own pace; a repair intent is committed before either write starts. Otherwise S3 is
 * written after Cloudinary answered, under its canonical key, from the client's bytes when their
 * MD5 equals Cloudinary's etag, else from what Cloudinary stored (read back). Either way S3 is read
 * back ({@code HEAD}; a teed object then gets Cloudinary's version in its metadata) before the
 * ledger calls the copy verified, and the client is answered only after the intent is settled or
 * failed — a failed secondary leaves a due outbox row.
 */
final class CloudinaryFirst {
  private final WriteContext ctx;
  private final SecondaryS3 secondary;

  CloudinaryFirst(WriteContext ctx) {
    this.ctx = ctx;
    this.secondary = new SecondaryS3(ctx);
  }

  /** {@code CLOUDINARY_ONLY}: a pass-through that also tells the ledger what now exists. */
  CompletableFuture<ApiAnswer> only(UploadCall call) {
    return ctx.api()
        .post(call.rawPath(), call.body(), call.headers())
        .thenApplyAsync(
            reply -> {
              if (reply.status() == 200) {
                stored(reply).ifPresent(s -> ctx.documents().upsert(s.asset(), UpsertOrigin.WRITE));
              }
              return ApiAnswer.relayed(reply);
            },
            ctx.blocking());
  }

  /** {@code DUAL_CLOUDINARY_PRIMARY}. */
  CompletableFuture<ApiAnswer> dual(UploadCall call, SpooledForm form) {
    return ctx.blocking(() -> Prepared.of(ctx, call, form, guess(call, form)))
        .thenCompose(p -> both(call, p));
  }

  private CompletableFuture<ApiAnswer> both(UploadCall call, Prepared p) {
    CompletableFuture<Throwable> s3 =
        p.guess() == null
            ? CompletableFuture.completedFuture(null)
            : ctx.s3()
                .put(p.guess(), WriteContext.put(p.bytes(), p.digests(), p.mediaType()))
                .handle((r, t) -> t == null ? null : WriteContext.cause(t));
    CompletableFuture<Outcome2> primary =
        ctx.api()
            .post(call.rawPath(), call.body(), call.headers())
            .handle((reply, t) -> new Outcome2(reply, t == null ? null : WriteContext.cause(t)));
    return primary
        .thenCombine(s3, (reply, s3Error) -> reply.withS3(s3Error))
        .thenComposeAsync(o -> settle(p, o), ctx.blocking());
  }

  private CompletableFuture<ApiAnswer> settle(Prepared p, Outcome2 o) {
    if (o.failure() != null || o.reply().status() != 200) {
      if (p.guess() != null) {
        secondary.undo(p.guess(), p.ticket(), o.s3Error() == null);
      }
      return CompletableFuture.completedFuture(
          o.failure() != null ? Answers.unreachable(o.failure()) : ApiAnswer.relayed(o.reply()));
    }
    Optional<CloudinaryReplies.Stored> stored = stored(o.reply());
    ApiAnswer answer = ApiAnswer.relayed(o.reply());
    if (stored.isEmpty()) {
      if (p.ticket() != null) {
        ctx.outbox().settle(p.ticket());
      }
      return CompletableFuture.completedFuture(answer);
    }
    CloudinaryReplies.Stored s = stored.get();
    boolean ours = p.bytes() != null && p.digests().md5().equals(s.asset().etag());
    RepairTicket ticket = p.ticket();
    if (p.guess() != null && !s.key().equals(p.guess())) {
      secondary.undo(p.guess(), p.ticket(), o.s3Error() == null);
      ticket = null;
    } else if (p.guess() != null && o.s3Error() == null && ours) {
      return secondary.confirm(s, p.digests(), ticket).thenApply(x -> answer);
    }
    if (ticket == null) {
      ticket = ctx.intendPut(s.key());
    }
    return secondary
        .write(s, ours ? p.bytes() : null, ours ? p.digests() : null, p.mediaType(), ticket)
        .thenApply(x -> answer);
  }

  private Optional<CloudinaryReplies.Stored> stored(CloudinaryApi.Reply reply) {
    try {
      return CloudinaryReplies.stored(ctx.account().cloudName(), reply);
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable Cloudinary upload answer", e);
    }
  }

  /** The S3 key when it can be named before Cloudinary answers, else null. */
  private DocumentKey guess(UploadCall call, SpooledForm form) {
    if (form.param("public_id") == null || call.header("x-unique-upload-id") != null) {
      return null;
    }
    Optional<ResourceType> rt = ResourceType.fromWire(call.resourceType());
    if (rt.isEmpty()) {
      return null;
    }
    return form.file().filter(f -> !f.isText()).map(f -> key(form, rt.get(), f)).orElse(null);
  }

  private DocumentKey key(SpooledForm form, ResourceType rt, SpooledForm.FilePart part) {
    String format = null;
    if (rt.formatOutsidePublicId()) {
      try {
        format = Formats.sniff(new FileRegion(form.body(), part.offset(), part.length()).head(16));
      } catch (IOException e) {
        return null;
      }
      format = format != null ? format : Formats.extension(part.filename());
      if (format == null) {
        return null;
      }
    }
    try {
      return UploadKeys.fromParams(ctx.account().cloudName(), rt, form.params(), format);
    } catch (InvalidDocumentKeyException e) {
      return null;
    }
  }

  /** Cloudinary's answer (or failure to answer) and the parallel S3 put's failure, if any. */
  private record Outcome2(CloudinaryApi.Reply reply, Throwable failure, Throwable s3Error) {
    Outcome2(CloudinaryApi.Reply reply, Throwable failure) {
      this(reply, failure, null);
    }

    Outcome2 withS3(Throwable error) {
      return new Outcome2(reply, failure, error);
    }
  }
}
