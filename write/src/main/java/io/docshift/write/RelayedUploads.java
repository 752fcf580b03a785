package io.docshift.write;

import io.docshift.core.key.DocumentKey;
import io.docshift.ledger.LedgerKey;
import io.docshift.ledger.WriteStart;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Dual uploads ({@code DUAL_CLOUDINARY_PRIMARY}) whose Cloudinary call starts while the client's
 * body still arrives, so the client does not wait for the body's transfer and then Cloudinary's
 * again. An upload qualifies when the text fields before its binary {@code file} part ({@link
 * FilePartDigester.Head}) are signed, pass {@link UploadAuth} and name its key ({@link
 * UpFrontKey}), and it is a plain {@code upload} with a {@code Content-Length}; anything else waits
 * for its whole body, as before.
 *
 * <p>Order, holding the document's queue: the row read and the repair intent commit in one
 * transaction, then Cloudinary's POST starts with the body published from the growing spool ({@link
 * GrowingBody}), its last byte held back. At the body's end the whole form is parsed and checked
 * again: when it is the same upload (all fields authenticated, the same key, the same file part)
 * the last byte goes and the write goes on as {@link CloudinaryFirst#stores} (S3's put starts only
 * now: its metadata, the digests, rides in the put's headers, known only at the file's end).
 * Otherwise Cloudinary's request is cut short (it stores nothing), the intent settled, and the
 * whole form takes today's path ({@link Fallback}), so a field after the file part is judged as it
 * always was. A body that never ends (client gone, too slow, refused mid-body) cuts the request and
 * settles the intent too. The flow completes only after the body ended or was abandoned, so the
 * spool directory is never removed under the proxy still writing it.
 */
final class RelayedUploads {
  private final WriteContext ctx;
  private final CloudinaryFirst first;
  private final KeyedQueue perDocument;

  /** The write mode's own path for a whole form, when the relay cannot go on. */
  interface Fallback {
    CompletableFuture<ApiAnswer> route(UploadCall call, SpooledForm form);
  }

  /** An upload that qualified: its fields before the file part, and the key they name. */
  record Early(SpooledForm form, DocumentKey guess, LedgerKey row) {
    String id() {
      return form.param("public_id");
    }
  }

  /** The whole body, parsed; {@code p} is null when it is not the upload the relay started. */
  private record Whole(UploadCall call, SpooledForm form, Prepared p) {}

  RelayedUploads(WriteContext ctx, CloudinaryFirst first, KeyedQueue perDocument) {
    this.ctx = ctx;
    this.first = first;
    this.perDocument = perDocument;
  }

  /**
   * Whether the upload {@code head} qualifies, its fields before the file part known and its first
   * {@code spooled} of {@code length} bytes spooled. Cheap (a signature check and a read of the
   * file's first bytes), so it runs on the spooling event loop.
   */
  Optional<Early> qualify(
      UploadCall head, FilePartDigester.Head fields, long length, long spooled) {
    Map<String, String> f = fields.fields();
    if (length <= 0
        || head.header("x-unique-upload-id") != null
        || head.header("content-range") != null
        || !UploadAuth.isSigned(f)
        || "authenticated".equals(f.get("access_mode"))
        || !ctx.auth().accepts(f)) {
      return Optional.empty();
    }
    SpooledForm.FilePart part =
        new SpooledForm.FilePart(
            fields.fileOffset(),
            spooled - fields.fileOffset(),
            fields.filename(),
            fields.contentType());
    SpooledForm early = new SpooledForm(head.body(), f, Optional.of(part));
    DocumentKey guess = UpFrontKey.of(ctx, head, early);
    LedgerKey row = guess == null ? null : first.rowKey(head, early);
    return row == null ? Optional.empty() : Optional.of(new Early(early, guess, row));
  }

  /** Runs a qualified upload to its answer, holding its document's queue. */
  CompletableFuture<ApiAnswer> run(
      RelayedUpload r, UploadCall head, Early early, Fallback fallback) {
    CompletableFuture<ApiAnswer> flow =
        perDocument.runAll(
            KeyedQueue.uploadKeys(head.resourceType(), early.form().param("type"), early.id()),
            () ->
                ctx.blocking(
                        () ->
                            UploadStep.sync(
                                "ledger-row-intent",
                                early.id(),
                                () -> ctx.startPut(early.row(), early.guess())))
                    .thenCompose(start -> relayed(r, head, early, start, fallback)));
    // Never done before the body is: the proxy writes the spool until then.
    return flow.handle((a, t) -> r.whole().handle((c, x) -> null))
        .thenCompose(bodyEnded -> bodyEnded)
        .thenCompose(x -> flow);
  }

  private CompletableFuture<ApiAnswer> relayed(
      RelayedUpload r, UploadCall head, Early early, WriteStart start, Fallback fallback) {
    CompletableFuture<CloudinaryFirst.Primary> primary =
        UploadStep.async(
                "cloudinary",
                early.id(),
                () -> ctx.api().relay(head.rawPath(), r.body(), head.headers(), r.whole()))
            .handle(
                (reply, t) ->
                    new CloudinaryFirst.Primary(reply, t == null ? null : WriteContext.cause(t)));
    return r.whole()
        .thenApplyAsync(call -> whole(call, early), ctx.blocking())
        .handle(
            (w, t) -> {
              if (t == null && w.p() != null) {
                r.body().released();
                CloudinaryFirst.Started st =
                    new CloudinaryFirst.Started(w.p().withTicket(start.ticket()), start.seen());
                return first.stores(w.call(), st, early.id(), true, primary);
              }
              r.body().cut(new IllegalStateException("not the upload the relay started"));
              return primary
                  .handle((o, x) -> null)
                  .thenComposeAsync(
                      x -> {
                        first.settleQuietly(start.ticket());
                        if (t != null) {
                          throw new CompletionException(WriteContext.cause(t));
                        }
                        return fallback.route(w.call(), w.form());
                      },
                      ctx.blocking());
            })
        .thenCompose(answer -> answer);
  }

  /** The whole body parsed and checked again against what the relay started with. */
  private Whole whole(UploadCall call, Early early) {
    SpooledForm form =
        UploadStep.sync(
            "parse",
            early.id(),
            () -> {
              try {
                return MultipartParser.parse(call.body(), call.header("content-type"));
              } catch (IOException e) {
                throw new UncheckedIOException("spooled body unreadable", e);
              }
            });
    long offset = early.form().file().orElseThrow().offset();
    boolean same =
        ctx.auth().accepts(form.params())
            && !"authenticated".equals(form.param("access_mode"))
            && form.file().filter(f -> !f.isText() && f.offset() == offset).isPresent()
            && early.guess().equals(UpFrontKey.of(ctx, call, form));
    return new Whole(call, form, same ? Prepared.unhashed(ctx, call, form, early.guess()) : null);
  }
}
