package io.docshift.write;

import static java.util.Objects.requireNonNull;

import io.docshift.core.config.CloudinaryAccount;
import io.docshift.core.config.WriteMode;
import io.docshift.core.metrics.MetricsRecorder;
import io.docshift.core.store.DocumentStore;
import io.docshift.core.store.DocumentTurns;
import io.docshift.ledger.LedgerKey;
import io.docshift.stores.s3.S3DocumentStore;
import io.docshift.traffic.TrafficStateSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Upload API behind the proxy: {@code upload} (plain and {@code upload_large} chunks) and
 * {@code destroy}, by the live write mode. The proxy spools each request body to its own directory
 * under {@link #newCallDirectory()} and hands it here; this service never runs blocking work on the
 * caller's thread and deletes the directory once the answer is decided.
 *
 * <p>The guarantee, in every dual mode: the client is acknowledged only when the primary write
 * succeeded and the secondary either succeeded or has a committed repair-outbox row (on H2 with no
 * write delay, so the row survives a kill right after the answer); when the primary fails the
 * client gets its error and the secondary is untouched (Cloudinary-primary: S3 is written only
 * after Cloudinary accepted) or taken back (S3-primary). Bad input is answered with Cloudinary's
 * status and message and nothing is written.
 */
public final class WriteService {
  private static final Logger LOG = LoggerFactory.getLogger(WriteService.class);

  private final WriteContext ctx;
  private final TrafficStateSource traffic;
  private final CloudinaryFirst cloudinaryFirst;
  private final S3First s3First;
  private final Destroys destroys;
  private final KeyedQueue perDocument;
  private final Removals removals;
  private final RelayedUploads relays;

  /**
   * @param cloudinary the Cloudinary store, for secondary writes DocShift signs itself and
   *     read-back
   * @param s3 the S3 store; when it is an {@link S3DocumentStore}, its temporaries keep the chunks
   *     of {@code upload_large} for the whole fleet in the S3-primary modes (a store without them,
   *     e.g. a test double, assembles chunks on this instance only)
   * @param ledger the ledger tables the write path reads and writes
   * @param blocking runs parsing, hashing and JDBC; never an event loop
   * @param spoolDir where request bodies and assembled chunks are spooled
   * @param readCache forgets what the read path cached about a document (e.g. {@code
   *     VerifiedCopies::invalidate}); called after every ledger change a write, delete or rename
   *     makes
   */
  public WriteService(
      CloudinaryAccount account,
      CloudinaryApi api,
      DocumentStore cloudinary,
      DocumentStore s3,
      WriteLedger ledger,
      TrafficStateSource traffic,
      MetricsRecorder metrics,
      Executor blocking,
      Path spoolDir,
      Clock clock,
      Consumer<LedgerKey> readCache) {
    requireNonNull(ledger, "ledger");
    this.traffic = requireNonNull(traffic, "traffic");
    this.ctx =
        new WriteContext(
            requireNonNull(account, "account"),
            requireNonNull(api, "api"),
            requireNonNull(cloudinary, "cloudinary"),
            requireNonNull(s3, "s3"),
            ledger.documents(),
            ledger.outbox(),
            requireNonNull(metrics, "metrics"),
            requireNonNull(blocking, "blocking"),
            requireNonNull(spoolDir, "spoolDir"),
            requireNonNull(clock, "clock"),
            new ChunkAssembler(spoolDir, clock),
            s3 instanceof S3DocumentStore store
                ? new SharedChunks(ledger.uploads(), store.temporaries(), clock)
                : null,
            new UploadAuth(account, clock),
            requireNonNull(readCache, "readCache"));
    this.cloudinaryFirst = new CloudinaryFirst(ctx);
    this.s3First = new S3First(ctx);
    this.destroys = new Destroys(ctx, ctx::forget);
    this.perDocument = new KeyedQueue(blocking);
    this.relays = new RelayedUploads(ctx, cloudinaryFirst, perDocument);
    this.removals =
        new Removals(
            ctx,
            ctx::forget,
            perDocument,
            () -> traffic.current().writeMode(),
            ledger.deleteTokens());
  }

  /** Admin API deletes, {@code rename} and {@code delete_by_token}. */
  public Removals removals() {
    return removals;
  }

  /**
   * The turns this instance's client operations take per document, for the repair worker beside
   * them to take too.
   */
  public DocumentTurns turns() {
    return perDocument;
  }

  /** A fresh directory for one request's spool files. */
  public Path newCallDirectory() throws IOException {
    Files.createDirectories(ctx.spoolDir());
    return Files.createTempDirectory(ctx.spoolDir(), "call-");
  }

  /** Removes a call directory and its spool files (calls this service did not answer itself). */
  public void discardCallDirectory(Path dir) {
    deleteTree(requireNonNull(dir, "dir"));
  }

  /** The account's cloud name: {@code /v1_1/{cloud}/...} calls for other clouds pass through. */
  public String cloudName() {
    return ctx.account().cloudName();
  }

  /**
   * Answers an {@code upload} whose body is spooled at {@code call.body()}. A signed upload is
   * verified here before either store sees a byte; one DocShift cannot verify (an unsigned preset,
   * a token) goes to Cloudinary first and reaches S3 only after Cloudinary accepted it, or is
   * refused in {@code S3_ONLY}. Uploads naming the same public_id run one after the other.
   */
  public CompletableFuture<ApiAnswer> upload(UploadCall call) {
    requireNonNull(call, "call");
    WriteMode mode = traffic.current().writeMode();
    if (mode == WriteMode.CLOUDINARY_ONLY) {
      // Queued too, so its ledger upsert is ordered after a destroy of the id (and revives the
      // tombstone whatever version Cloudinary numbers it with). A body DocShift cannot parse is
      // still relayed as it is, unqueued: this mode is a pass-through.
      return finish(
          call,
          parse(call)
              .handle((form, t) -> form)
              .thenCompose(
                  form ->
                      form == null
                          ? cloudinaryFirst.only(call, null)
                          : queued(call, form, () -> cloudinaryFirst.only(call, form))));
    }
    UploadStep total = UploadStep.start("total", null);
    return finish(
            call,
            parse(call)
                .thenCompose(
                    form -> {
                      total.name(form.param("public_id"));
                      return queued(call, form, () -> route(call, form, mode));
                    }))
        .whenComplete((a, t) -> total.done());
  }

  /**
   * Starts an {@code upload} whose body still arrives, when it qualifies ({@link RelayedUploads}:
   * {@code DUAL_CLOUDINARY_PRIMARY}, a plain upload of {@code length} bytes whose signed fields
   * before the file part ({@code fields}) DocShift authenticates and which names its key): its
   * Cloudinary call then takes the body as it is spooled. Empty when it does not qualify: the
   * upload is then answered by {@link #upload} once its body is whole, exactly as before.
   *
   * @param head the call with its spool file, still growing ({@code spooled} bytes so far)
   */
  public Optional<RelayedUpload> relay(
      UploadCall head, FilePartDigester.Head fields, long length, long spooled) {
    requireNonNull(head, "head");
    requireNonNull(fields, "fields");
    WriteMode mode = traffic.current().writeMode();
    if (mode != WriteMode.DUAL_CLOUDINARY_PRIMARY) {
      return Optional.empty();
    }
    return relays
        .qualify(head, fields, length, spooled)
        .map(
            early -> {
              RelayedUpload r =
                  new RelayedUpload(new GrowingBody(head.body(), length, ctx.blocking()));
              r.grown(spooled);
              UploadStep total = UploadStep.start("total", early.id());
              CompletableFuture<ApiAnswer> flow =
                  relays.run(r, head, early, (call, form) -> route(call, form, mode));
              return r.answering(finish(head, flow).whenComplete((a, t) -> total.done()));
            });
  }

  /** Runs {@code work} holding the queue of the public_id the upload names, if it names one. */
  private CompletableFuture<ApiAnswer> queued(
      UploadCall call, SpooledForm form, Supplier<CompletableFuture<ApiAnswer>> work) {
    String id = form.param("public_id");
    if (id == null) {
      return work.get();
    }
    return perDocument.runAll(
        KeyedQueue.uploadKeys(call.resourceType(), form.param("type"), id), work);
  }

  private CompletableFuture<ApiAnswer> route(UploadCall call, SpooledForm form, WriteMode mode) {
    boolean signed = UploadAuth.isSigned(form.params());
    if (signed) {
      UploadStep.sync(
          "auth",
          form.param("public_id"),
          () -> {
            ctx.auth().verify(form.params());
            return null;
          });
    }
    // An access-controlled upload is Cloudinary's alone: S3 cannot check delivery signatures.
    boolean accessControlled = "authenticated".equals(form.param("access_mode"));
    boolean needsCloudinary = !signed || UploadSource.isUrlText(form) || accessControlled;
    if (mode == WriteMode.DUAL_CLOUDINARY_PRIMARY
        || (mode == WriteMode.DUAL_S3_PRIMARY && needsCloudinary)) {
      return cloudinaryFirst.dual(call, form, signed && !accessControlled);
    }
    if (accessControlled) {
      throw new BadUpload(
          400,
          "access_mode=authenticated uploads need Cloudinary (write mode S3_ONLY): S3 cannot"
              + " check delivery signatures");
    }
    if (needsCloudinary) {
      throw new BadUpload(
          400, "Unsigned and remote-URL uploads need Cloudinary (write mode S3_ONLY)");
    }
    if (mode == WriteMode.S3_ONLY) {
      return s3First.upload(call, form, false).thenApply(a -> removals.granted(form, a));
    }
    return s3First.upload(call, form, true);
  }

  /**
   * Answers a {@code destroy}. It waits for the uploads, renames and deletes of its public_id
   * queued before it, and those after it wait for it, so the ledger's tombstone and both stores see
   * the same order.
   */
  public CompletableFuture<ApiAnswer> destroy(UploadCall call) {
    requireNonNull(call, "call");
    WriteMode mode = traffic.current().writeMode();
    return finish(
        call,
        parse(call)
            .thenCompose(
                form -> {
                  String id = form.param("public_id");
                  List<String> keys =
                      id == null
                          ? List.of()
                          : List.of(
                              KeyedQueue.documentKey(call.resourceType(), form.param("type"), id));
                  return perDocument.runAll(keys, () -> destroy(call, form, mode));
                }));
  }

  private CompletableFuture<ApiAnswer> destroy(UploadCall call, SpooledForm form, WriteMode mode) {
    return mode == WriteMode.CLOUDINARY_ONLY || mode == WriteMode.DUAL_CLOUDINARY_PRIMARY
        ? destroys.cloudinaryFirst(call, form)
        : destroys.s3First(call, form, mode == WriteMode.DUAL_S3_PRIMARY);
  }

  private CompletableFuture<SpooledForm> parse(UploadCall call) {
    return ctx.blocking(
        () -> {
          UploadStep step = UploadStep.start("parse", null);
          try {
            SpooledForm form = MultipartParser.parse(call.body(), call.header("content-type"));
            step.name(form.param("public_id"));
            return form;
          } catch (IOException e) {
            throw new UncheckedIOException("spooled body unreadable", e);
          } finally {
            step.done();
          }
        });
  }

  /** Maps refusals and failures to answers, then deletes the call's spool directory. */
  private CompletableFuture<ApiAnswer> finish(UploadCall call, CompletableFuture<ApiAnswer> flow) {
    return flow.handle(
            (answer, t) -> {
              if (t == null) {
                return answer;
              }
              Throwable cause = t instanceof CompletionException ? t.getCause() : t;
              if (cause instanceof BadUpload) {
                return ApiAnswer.refused((BadUpload) cause);
              }
              if (cause instanceof io.docshift.core.outcome.ClassifiedException) {
                return Answers.unreachable(cause);
              }
              LOG.error("upload {} failed inside DocShift", call.rawPath(), cause);
              return ApiAnswer.error(
                  500,
                  "Internal error in DocShift: " + cause.getClass().getSimpleName(),
                  java.util.Optional.empty(),
                  io.docshift.core.outcome.Outcome.LOCAL_ERROR);
            })
        .whenComplete((a, t) -> deleteTree(call.body().getParent()));
  }

  static void deleteTree(Path dir) {
    try (var files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.deleteIfExists(f);
      }
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      LOG.warn("spool directory {} not removed: {}", dir, e.toString());
    }
  }
}
