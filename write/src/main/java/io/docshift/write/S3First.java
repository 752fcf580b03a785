package io.docshift.write;

import io.docshift.copier.Inspection;
import io.docshift.core.key.DocumentKey;
import io.docshift.core.key.InvalidDocumentKeyException;
import io.docshift.core.key.ResourceType;
import io.docshift.core.key.UploadKeys;
import io.docshift.core.outcome.Backend;
import io.docshift.core.outcome.Outcome;
import io.docshift.ledger.CloudinaryAsset;
import io.docshift.ledger.DocumentRecord;
import io.docshift.ledger.LedgerKey;
import io.docshift.ledger.RepairOperation;
import io.docshift.ledger.RepairTicket;
import io.docshift.ledger.S3State;
import io.docshift.ledger.Transition;
import io.docshift.stores.cloudinary.CloudinarySigner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.random.RandomGenerator;

/**
 * Uploads while S3 is the primary ({@code DUAL_S3_PRIMARY}, {@code S3_ONLY}), of signed requests
 * DocShift verified itself before this class sees them (Cloudinary may not see the request at all).
 * It names the key (a random public_id as Cloudinary would, when none is given), assigns the
 * version (the upload's second, always above the ledger's), writes S3 and — in the dual mode, in
 * parallel — Cloudinary, and builds the answer. S3 failing fails the client and takes back the
 * secondary (or, when S3 never answered, leaves a due repair that follows what S3 holds);
 * Cloudinary failing leaves a due {@code cld_put} outbox row. Unsigned (preset) and remote-URL
 * uploads need Cloudinary: in the dual mode the caller routes them Cloudinary-first, in {@code
 * S3_ONLY} they are refused. {@code upload_large} chunks are assembled across the fleet ({@link
 * SharedChunks}); the request whose chunk completes the file writes it.
 */
final class S3First {
  private static final String ID_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789";
  private final WriteContext ctx;
  private final CloudinarySigner signer;
  private final RandomGenerator random = new SecureRandom();

  S3First(WriteContext ctx) {
    this.ctx = ctx;
    this.signer = CloudinarySigner.of(ctx.account());
  }

  CompletableFuture<ApiAnswer> upload(UploadCall call, SpooledForm form, boolean dual) {
    ChunkRange chunk =
        ChunkRange.of(call.header("x-unique-upload-id"), call.header("content-range"));
    SharedChunks shared = ctx.sharedChunks();
    if (chunk == null || shared == null) {
      return ctx.blocking(() -> plan(call, form, Prepared.of(ctx, call, form, null)))
          .thenCompose(plan -> answer(call, plan, dual));
    }
    return ctx.blocking(() -> shared.accept(call, form, chunk))
        .thenCompose(
            r ->
                r.answer() != null
                    ? done(r.answer())
                    : r.pending()
                        ? done(SharedChunks.pending(chunk, form))
                        : assembled(call, form, r, dual));
  }

  /**
   * Writes the upload the fleet's chunks assembled into; the session learns the outcome (success
   * kept for resends, anything else lets a resend assemble again).
   */
  private CompletableFuture<ApiAnswer> assembled(
      UploadCall call, SpooledForm form, SharedChunks.Received r, boolean dual) {
    ChunkRange chunk =
        ChunkRange.of(call.header("x-unique-upload-id"), call.header("content-range"));
    return ctx.blocking(
            () -> plan(call, form, Prepared.assembled(r.assembled(), r.mediaType(), chunk)))
        .thenCompose(plan -> answer(call, plan, dual))
        .handleAsync(
            (answer, t) -> {
              ctx.sharedChunks().answered(chunk.uploadId(), t == null ? answer : null);
              if (t != null) {
                throw t instanceof CompletionException c ? c : new CompletionException(t);
              }
              return answer;
            },
            ctx.blocking());
  }

  private CompletableFuture<ApiAnswer> answer(UploadCall call, Plan plan, boolean dual) {
    return plan.answer() != null ? done(plan.answer()) : write(call, plan, dual);
  }

  /** Called with a signed request its caller verified already. */
  private Plan plan(UploadCall call, SpooledForm form, Prepared p) {
    if (p.bytes() == null) {
      return new Plan(null, null, 0, null, SharedChunks.pending(p.chunk(), form));
    }
    DocumentKey key = key(call, form, p);
    Optional<DocumentRecord> row = ctx.documents().find(LedgerKey.of(key));
    boolean exists = row.isPresent() && row.get().state() != S3State.DELETED;
    if (exists && "false".equalsIgnoreCase(form.param("overwrite"))) {
      long version = row.get().asset().version();
      Map<String, Object> json = json(call, form, key, version, p, row.get().asset().bytes());
      json.put("existing", true);
      return new Plan(
          key,
          p,
          version,
          null,
          ApiAnswer.json(200, json, Optional.of(Backend.S3), Outcome.SUCCESS));
    }
    long now = ctx.clock().instant().getEpochSecond();
    long version = Math.max(now, row.map(r -> r.asset().version() + 1).orElse(now));
    return new Plan(key, p, version, exists ? Boolean.TRUE : Boolean.FALSE, null);
  }

  private CompletableFuture<ApiAnswer> write(UploadCall call, Plan plan, boolean dual) {
    Prepared p = plan.prepared();
    RepairTicket ticket =
        dual
            ? ctx.outbox()
                .intend(
                    LedgerKey.of(plan.key()),
                    RepairOperation.CLOUDINARY_PUT,
                    "dual-write in flight",
                    WriteContext.INTENT_GRACE)
            : null;
    CompletableFuture<Throwable> s3 =
        ctx.s3()
            .put(
                plan.key(), WriteContext.put(p.bytes(), p.digests(), p.mediaType(), plan.version()))
            .handle((r, t) -> t == null ? null : WriteContext.cause(t));
    CompletableFuture<Throwable> cloudinary =
        dual
            ? ctx.cloudinary()
                .put(plan.key(), WriteContext.put(p.bytes(), p.digests(), p.mediaType()))
                .handle((r, t) -> t == null ? null : WriteContext.cause(t))
            : CompletableFuture.completedFuture(null);
    return s3.thenCombine(cloudinary, (s3Error, cldError) -> new Throwable[] {s3Error, cldError})
        .thenApplyAsync(errors -> settle(call, plan, ticket, errors[0], errors[1]), ctx.blocking());
  }

  private ApiAnswer settle(
      UploadCall call, Plan plan, RepairTicket ticket, Throwable s3Error, Throwable cldError) {
    Prepared p = plan.prepared();
    if (s3Error != null) {
      if (ticket != null) {
        takeBack(plan, ticket, cldError == null, s3Error);
      }
      return Answers.unreachable(s3Error);
    }
    CloudinaryAsset asset =
        new CloudinaryAsset(
            LedgerKey.of(plan.key()),
            plan.key().format().orElse(null),
            plan.version(),
            p.digests().md5(),
            p.bytes().length());
    Transition recorded =
        ctx.documents().recordWrite(asset, p.digests().md5(), p.digests().sha256());
    ctx.written(plan.key());
    if (recorded == Transition.APPLIED && ticket != null && !stillOurs(plan)) {
      recorded = Transition.STALE_VERSION;
    }
    if (recorded != Transition.APPLIED && ticket == null) {
      throw new IllegalStateException(
          plan.key() + ": ledger refused an S3-primary write: " + recorded);
    }
    if (recorded != Transition.APPLIED) {
      raced(plan, ticket, recorded);
    } else if (ticket != null) {
      if (cldError == null) {
        ctx.outbox().settle(ticket);
        ctx.metrics().secondaryWrite(Backend.CLOUDINARY, Outcome.SUCCESS);
      } else {
        ctx.outbox().fail(ticket, WriteContext.describe(plan.key(), cldError));
        ctx.metrics().secondaryWrite(Backend.CLOUDINARY, SecondaryS3.outcome(cldError));
      }
    }
    Map<String, Object> json = json(call, null, plan.key(), plan.version(), p, p.bytes().length());
    if (Boolean.TRUE.equals(plan.existed())) {
      json.put("overwritten", true);
    }
    return ApiAnswer.json(200, json, Optional.of(Backend.S3), Outcome.SUCCESS);
  }

  /**
   * Whether S3 still holds this write once the ledger recorded it. Versions come from the clock, so
   * another instance's write may carry a newer version yet have reached S3 first: checking S3 after
   * recording means the last write to reach S3 is either the one the ledger names or is caught here
   * (or by the writer it overtook), never silently trusted with other bytes. A streamed copy of the
   * same bytes counts as this write ({@link Inspection#holds}: by MD5 when it has no SHA-256).
   */
  private boolean stillOurs(Plan plan) {
    try {
      return Inspection.holds(ctx.s3().head(plan.key()).join(), plan.prepared().digests());
    } catch (RuntimeException e) {
      return false;
    }
  }

  /**
   * Another instance wrote this document at the same time and the ledger kept its write (same
   * second, or a newer version): S3 holds one of the two, and the row may name the other's bytes.
   * The row stops being trusted (reads go to Cloudinary) and the Cloudinary copy follows S3 ({@code
   * cld_put}, due now). No {@code put} repair is queued: it copies Cloudinary to S3, and running
   * beside the {@code cld_put} the two could swap the stores' bytes. {@code docshift verify} or the
   * backfill verifies the S3 copy again.
   */
  private void raced(Plan plan, RepairTicket ticket, Transition recorded) {
    LedgerKey key = LedgerKey.of(plan.key());
    String why = plan.key() + ": concurrent S3-primary writes, ledger said " + recorded;
    ctx.documents().markMismatch(key, why, null, null);
    ctx.written(plan.key());
    ctx.outbox().fail(ticket, why);
  }

  /**
   * S3 failed. An S3 that answered (an error status) kept what it held: a Cloudinary copy of a new
   * document goes, an overwritten one is restored. One that timed out or lost the connection may
   * have stored the upload all the same, and nobody would ever look again: the repair makes
   * Cloudinary and the row follow whatever S3 holds ({@code cld_put} of an overwrite; {@code
   * cld_delete} of a new document, which destroys Cloudinary's copy when S3 holds nothing).
   */
  private void takeBack(
      Plan plan, RepairTicket ticket, boolean cloudinaryWritten, Throwable s3Error) {
    if (!answered(s3Error)) {
      String why = plan.key() + ": S3 may hold the upload (" + s3Error + "); Cloudinary follows S3";
      if (Boolean.TRUE.equals(plan.existed())) {
        ctx.outbox().fail(ticket, why);
      } else {
        ctx.outbox().enqueue(LedgerKey.of(plan.key()), RepairOperation.CLOUDINARY_DELETE, why);
        ctx.outbox().settle(ticket);
      }
    } else if (!cloudinaryWritten) {
      ctx.outbox().settle(ticket);
    } else if (Boolean.TRUE.equals(plan.existed())) {
      ctx.outbox().fail(ticket, plan.key() + ": S3 refused; restore Cloudinary from S3");
    } else {
      try {
        ctx.cloudinary().delete(plan.key()).join();
        ctx.outbox().settle(ticket);
      } catch (RuntimeException e) {
        ctx.outbox()
            .enqueue(
                LedgerKey.of(plan.key()),
                RepairOperation.CLOUDINARY_DELETE,
                "S3 refused a new upload Cloudinary took");
        ctx.outbox().settle(ticket);
      }
    }
  }

  /** Whether S3 answered the put with a refusal, so it did not store it. */
  private static boolean answered(Throwable s3Error) {
    Outcome outcome = SecondaryS3.outcome(s3Error);
    return outcome != Outcome.S3_TIMEOUT
        && outcome != Outcome.S3_CONNECT
        && outcome != Outcome.LOCAL_ERROR;
  }

  private DocumentKey key(UploadCall call, SpooledForm form, Prepared p) {
    String format;
    try {
      format = form.param("format");
      format = format != null ? format : Formats.sniff(p.bytes().head(16));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String filename = form.file().map(SpooledForm.FilePart::filename).orElse(null);
    format = format != null ? format : Formats.extension(filename);
    String rtName =
        call.resourceType().equals("auto") ? Formats.resolveAuto(format) : call.resourceType();
    ResourceType rt =
        ResourceType.fromWire(rtName)
            .orElseThrow(() -> new BadUpload(400, "Invalid resource type " + rtName));
    if (rt == ResourceType.IMAGE && (format == null || !Formats.IMAGE.contains(format))) {
      throw new BadUpload(400, "Invalid image file");
    }
    if (rt == ResourceType.VIDEO && (format == null || !Formats.VIDEO.contains(format))) {
      throw new BadUpload(400, "Invalid video file");
    }
    Map<String, String> params = new HashMap<>(form.params());
    if (form.param("public_id") == null) {
      String base =
          filename != null && "true".equalsIgnoreCase(form.param("use_filename"))
              ? stripExtension(filename)
              : randomId();
      params.put(
          "public_id", rt == ResourceType.RAW && format != null ? base + "." + format : base);
    }
    try {
      return UploadKeys.fromParams(ctx.account().cloudName(), rt, params, format);
    } catch (InvalidDocumentKeyException e) {
      throw new BadUpload(400, e.getMessage());
    }
  }

  private Map<String, Object> json(
      UploadCall call, SpooledForm form, DocumentKey key, long version, Prepared p, long bytes) {
    return UploadJson.of(
        key, version, p.digests(), bytes, call.host(), ctx.account().apiKey(), null, signer);
  }

  private String randomId() {
    StringBuilder id = new StringBuilder(20);
    for (int i = 0; i < 20; i++) {
      id.append(ID_CHARS.charAt(random.nextInt(ID_CHARS.length())));
    }
    return id.toString();
  }

  private static String stripExtension(String filename) {
    String base = filename.substring(filename.lastIndexOf('/') + 1);
    int dot = base.lastIndexOf('.');
    return dot > 0 ? base.substring(0, dot) : base;
  }

  private static CompletableFuture<ApiAnswer> done(ApiAnswer answer) {
    return CompletableFuture.completedFuture(answer);
  }

  /** What to write, or the answer when nothing is to be written. */
  private record Plan(
      DocumentKey key, Prepared prepared, long version, Boolean existed, ApiAnswer answer) {}
}
