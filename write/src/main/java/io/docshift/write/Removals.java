package io.docshift.write;

import static java.util.Objects.requireNonNull;

import io.docshift.core.config.WriteMode;
import io.docshift.core.outcome.ClassifiedException;
import io.docshift.core.outcome.Outcome;
import io.docshift.ledger.DeleteTokenRows;
import io.docshift.ledger.LedgerKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API calls besides {@code destroy} that delete or move originals: Admin API deletes, {@code
 * rename}, {@code delete_by_token} and Admin API {@code update} of {@code access_mode}. Each goes
 * to Cloudinary as the client sent it (Cloudinary authenticates it), and only on Cloudinary's
 * success does the ledger tombstone or move the rows, in the same step and before the answer is
 * relayed; the S3 copies follow under repair intents, and this instance's read cache forgets every
 * key it touched. A refused call changes nothing. Obtained from {@link WriteService#removals()};
 * like it, never blocks the caller's thread and deletes the call's spool directory once answered.
 *
 * <p>A rename and a delete by {@code public_ids[]} hold the per-document queue of every id they
 * name (a rename both ids) for their whole run, so they never overlap an upload or destroy of those
 * ids through this instance. Deletes by prefix, tag or {@code all} and {@code delete_by_token}
 * cannot name their ids before Cloudinary answers: they take the queues of the ids the answer names
 * (a token's id from the ledger) around the tombstones and S3 deletes.
 */
public final class Removals {
  private static final Logger LOG = LoggerFactory.getLogger(Removals.class);

  private final WriteContext ctx;
  private final AdminDeletes adminDeletes;
  private final Renames renames;
  private final TokenDeletes tokenDeletes;
  private final AccessUpdates accessUpdates;
  private final KeyedQueue perDocument;
  private final Supplier<WriteMode> mode;
  private final LocalDeletes localDeletes;
  private final LocalRenames localRenames;

  Removals(
      WriteContext ctx,
      Consumer<LedgerKey> forget,
      KeyedQueue perDocument,
      Supplier<WriteMode> mode,
      DeleteTokenRows tokens) {
    this.ctx = ctx;
    this.perDocument = perDocument;
    S3Deletes s3 = new S3Deletes(ctx, forget);
    this.adminDeletes = new AdminDeletes(ctx, s3, perDocument);
    this.renames = new Renames(ctx, s3, forget, mode);
    this.tokenDeletes = new TokenDeletes(ctx, s3, tokens, perDocument);
    this.accessUpdates = new AccessUpdates(ctx, s3, forget);
    this.mode = mode;
    this.localDeletes = new LocalDeletes(ctx, s3, perDocument);
    this.localRenames = new LocalRenames(ctx, s3);
  }

  /** Whether {@code path} (no query) is an Admin API delete path of this account, for DELETE. */
  public boolean isAdminDelete(String path) {
    var m = AdminDeletes.PATH.matcher(requireNonNull(path, "path"));
    return m.matches() && m.group(1).equals(ctx.account().cloudName());
  }

  /** {@code DELETE /v1_1/{cloud}/resources/...}; {@code call.rawPath()} includes the query. */
  public CompletableFuture<ApiAnswer> adminDelete(UploadCall call) {
    boolean local = s3Only();
    return run(
        call,
        AdminDeletes::queueKeys,
        params ->
            local && LocalDeletes.handles(call, params)
                ? localDeletes.delete(call, params)
                : adminDeletes.delete(call, params));
  }

  /** Whether {@code path} (no query) is an Admin API update path of this account, for POST. */
  public boolean isUpdate(String path) {
    var m = AccessUpdates.PATH.matcher(requireNonNull(path, "path"));
    return m.matches() && m.group(1).equals(ctx.account().cloudName());
  }

  /** {@code POST /v1_1/{cloud}/resources/{rt}/{type}/{public_id}} (Admin API update). */
  public CompletableFuture<ApiAnswer> update(UploadCall call) {
    return run(call, AccessUpdates::queueKeys, params -> accessUpdates.update(call, params));
  }

  /** {@code POST /v1_1/{cloud}/{rt}/rename}. */
  public CompletableFuture<ApiAnswer> rename(UploadCall call) {
    boolean local = s3Only();
    return run(
        call,
        Renames::queueKeys,
        params ->
            local
                ? localRenames.rename(call, params, () -> renames.rename(call, params))
                : renames.rename(call, params));
  }

  /** {@code POST /v1_1/{cloud}[/{rt}]/delete_by_token}. */
  public CompletableFuture<ApiAnswer> deleteByToken(UploadCall call) {
    boolean local = s3Only();
    return run(call, (c, params) -> List.of(), params -> tokenDeletes.delete(call, params, local));
  }

  /** An upload answer DocShift made itself, with the {@code delete_token} the client asked for. */
  ApiAnswer granted(SpooledForm form, ApiAnswer answer) {
    return tokenDeletes.granted(form, answer);
  }

  /**
   * In {@code S3_ONLY} DocShift answers these calls from S3 and the ledger: Cloudinary never got
   * what was written in this mode, or is retired.
   */
  private boolean s3Only() {
    return mode.get() == WriteMode.S3_ONLY;
  }

  /**
   * Tells this service an upload was answered, so its {@code delete_token} can be followed on any
   * instance: completes with {@code answer} once the token is in the ledger (off the caller's
   * thread), so a client that relays the token at once anywhere is followed. A ledger failure here
   * is logged and the upload still answered: only that token goes unfollowed.
   */
  public CompletableFuture<ApiAnswer> uploaded(ApiAnswer answer) {
    requireNonNull(answer, "answer");
    return ctx.blocking(
        () -> {
          try {
            tokenDeletes.uploaded(answer);
          } catch (RuntimeException e) {
            LOG.error("delete_token of an upload not stored; a delete by it goes unfollowed", e);
          }
          return answer;
        });
  }

  /**
   * Sends {@code call} to Cloudinary as the client sent it and relays Cloudinary's answer; when
   * Cloudinary accepted it (200), {@code follow} runs first, on the blocking executor, so the
   * ledger has followed before the client hears of it. A refused call is relayed untouched.
   */
  static CompletableFuture<ApiAnswer> relayedAfter(
      WriteContext ctx,
      UploadCall call,
      Function<CloudinaryApi.Reply, CompletableFuture<?>> follow) {
    return relayedAfter(ctx, call, follow, () -> {});
  }

  /**
   * {@link #relayedAfter(WriteContext, UploadCall, Function)}, and {@code refused} runs (on the
   * blocking executor) when Cloudinary answered anything but 200: a caller that committed intents
   * before the call settles them there. When no answer comes at all, neither runs: whether
   * Cloudinary acted is unknown, and the intents are left for the repair worker.
   */
  static CompletableFuture<ApiAnswer> relayedAfter(
      WriteContext ctx,
      UploadCall call,
      Function<CloudinaryApi.Reply, CompletableFuture<?>> follow,
      Runnable refused) {
    return ctx.api()
        .exchange("POST", call.rawPath(), bodyOf(call), call.headers())
        .thenComposeAsync(
            reply -> {
              if (reply.status() != 200) {
                refused.run();
                return CompletableFuture.completedFuture(ApiAnswer.relayed(reply));
              }
              return follow.apply(reply).thenApply(x -> ApiAnswer.relayed(reply));
            },
            ctx.blocking());
  }

  /** The spooled body to send on, or none when the client sent none. */
  static Optional<Path> bodyOf(UploadCall call) {
    try {
      return Files.size(call.body()) > 0 ? Optional.of(call.body()) : Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("spooled body unreadable", e);
    }
  }

  private CompletableFuture<ApiAnswer> run(
      UploadCall call,
      BiFunction<UploadCall, Map<String, List<String>>, List<String>> queueKeys,
      Function<Map<String, List<String>>, CompletableFuture<ApiAnswer>> flow) {
    requireNonNull(call, "call");
    return ctx.blocking(() -> params(call))
        .thenCompose(
            params -> perDocument.runAll(queueKeys.apply(call, params), () -> flow.apply(params)))
        .handle((answer, t) -> answer != null ? answer : failed(call, t))
        .whenComplete((a, t) -> WriteService.deleteTree(call.body().getParent()));
  }

  private static Map<String, List<String>> params(UploadCall call) {
    try {
      return FormParams.of(call.rawPath(), call.body(), call.header("content-type"));
    } catch (IOException e) {
      throw new UncheckedIOException("spooled body unreadable", e);
    }
  }

  private static ApiAnswer failed(UploadCall call, Throwable t) {
    Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    if (cause instanceof BadUpload) {
      return ApiAnswer.refused((BadUpload) cause);
    }
    if (cause instanceof ClassifiedException) {
      return Answers.unreachable(cause);
    }
    LOG.error("{} failed inside DocShift", call.rawPath(), cause);
    return ApiAnswer.error(
        500,
        "Internal error in DocShift: " + cause.getClass().getSimpleName(),
        Optional.empty(),
        Outcome.LOCAL_ERROR);
  }
}
