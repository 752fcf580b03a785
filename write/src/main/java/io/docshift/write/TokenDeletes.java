package io.docshift.write;

import com.fasterxml.jackson.databind.JsonNode;
import io.docshift.core.outcome.Backend;
import io.docshift.core.outcome.Outcome;
import io.docshift.ledger.DeleteTokenRows;
import io.docshift.ledger.DocumentRecord;
import io.docshift.ledger.LedgerKey;
import io.docshift.ledger.RepairTicket;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code delete_by_token}: Cloudinary's answer names no document, so the {@code delete_token} of
 * each upload answer relayed is stored in the ledger (tokens live 10 minutes at Cloudinary, and so
 * do the rows), where every instance finds it. When Cloudinary accepts a token, its document is
 * tombstoned and its S3 copy deleted under the document's queue, taken after the answer, before the
 * answer is relayed. A token no instance stored (an upload around DocShift) is still passed on, but
 * the ledger cannot follow it: it is logged, and {@code verify} finds the stale S3 copy.
 */
final class TokenDeletes {
  private static final Logger LOG = LoggerFactory.getLogger(TokenDeletes.class);

  private static final SecureRandom RANDOM = new SecureRandom();

  private final WriteContext ctx;
  private final S3Deletes s3;
  private final DeleteTokenRows tokens;
  private final KeyedQueue perDocument;
  private final OverlappingUploads overlaps;

  TokenDeletes(WriteContext ctx, S3Deletes s3, DeleteTokenRows tokens, KeyedQueue perDocument) {
    this.ctx = ctx;
    this.s3 = s3;
    this.tokens = tokens;
    this.perDocument = perDocument;
    this.overlaps = new OverlappingUploads(ctx);
  }

  /** Stores the token of an upload answer that carries one. */
  void uploaded(ApiAnswer answer) {
    if (answer.status() != 200
        || !new String(answer.body(), StandardCharsets.UTF_8).contains("\"delete_token\"")) {
      return;
    }
    try {
      JsonNode json = ApiAnswer.JSON.readTree(answer.body());
      String token = json.path("delete_token").asText("");
      if (!token.isEmpty() && json.hasNonNull("public_id")) {
        tokens.remember(
            token,
            new LedgerKey(
                ctx.account().cloudName(),
                json.path("resource_type").asText("image"),
                json.path("type").asText("upload"),
                json.get("public_id").asText()));
      }
    } catch (IOException e) {
      LOG.warn("upload answer with a delete_token is not JSON: {}", e.toString());
    }
  }

  /**
   * @param local whether DocShift redeems a token it knows itself ({@code S3_ONLY}, where it issued
   *     the token and Cloudinary never saw the upload); an unknown token still goes to Cloudinary
   */
  CompletableFuture<ApiAnswer> delete(
      UploadCall call, Map<String, List<String>> params, boolean local) {
    String token = FormParams.first(params, "token");
    // Looked up before the call: Cloudinary forgets an accepted token, and so does the ledger.
    Optional<LedgerKey> key = token == null ? Optional.empty() : tokens.find(token);
    if (local && key.isPresent()) {
      tokens.forget(token);
      return followed(key.get(), null, Map.of())
          .thenApply(
              x ->
                  ApiAnswer.json(
                      200, Map.of("result", "ok"), Optional.of(Backend.S3), Outcome.SUCCESS));
    }
    // The document's delete intent goes first, so a kill after Cloudinary accepted the token and
    // before the tombstone leaves the repair to follow it.
    Map<LedgerKey, RepairTicket> intent =
        key.map(k -> s3.intended(List.of(k), "delete by token in flight")).orElse(Map.of());
    Instant sentAt = ctx.clock().instant();
    return Removals.relayedAfter(
        ctx, call, reply -> redeemed(token, key, sentAt, intent), () -> s3.refused(intent));
  }

  /** Follows a token Cloudinary accepted: its document's tombstone and S3 delete, when known. */
  private CompletableFuture<Void> redeemed(
      String token, Optional<LedgerKey> key, Instant sentAt, Map<LedgerKey, RepairTicket> intent) {
    if (key.isEmpty()) {
      LOG.warn("delete_by_token accepted for a token no instance stored");
      return CompletableFuture.completedFuture(null);
    }
    tokens.forget(token);
    return followed(key.get(), sentAt, intent);
  }

  /**
   * Tombstone and S3 delete of {@code k}, under its queue taken now and its {@code intent}, if
   * taken; with {@code sentAt} (the token went to Cloudinary then), not of an upload that
   * overlapped the answer and that Cloudinary holds ({@link OverlappingUploads}).
   */
  private CompletableFuture<Void> followed(
      LedgerKey k, Instant sentAt, Map<LedgerKey, RepairTicket> intent) {
    String queueKey = KeyedQueue.documentKey(k.resourceType(), k.type(), k.publicId());
    return perDocument.run(
        queueKey,
        () ->
            ctx.blocking(() -> tombstone(k, sentAt))
                .thenCompose(before -> s3.follow(before, intent)));
  }

  /**
   * The upload answer with a {@code delete_token} DocShift issued, when the client asked for one
   * ({@code return_delete_token}) and DocShift answered the upload itself ({@code S3_ONLY}); the
   * token reaches the ledger through {@link #uploaded}, like one Cloudinary issued.
   */
  ApiAnswer granted(SpooledForm form, ApiAnswer answer) {
    String asked = form.param("return_delete_token");
    if (answer.status() != 200 || !("true".equalsIgnoreCase(asked) || "1".equals(asked))) {
      return answer;
    }
    try {
      JsonNode json = ApiAnswer.JSON.readTree(answer.body());
      if (!json.isObject() || !json.has("version")) {
        return answer;
      }
      byte[] token = new byte[20];
      RANDOM.nextBytes(token);
      ((com.fasterxml.jackson.databind.node.ObjectNode) json)
          .put("delete_token", HexFormat.of().formatHex(token));
      return ApiAnswer.json(200, json, answer.backend(), answer.outcome());
    } catch (IOException e) {
      throw new IllegalStateException("DocShift's own upload answer is not JSON", e);
    }
  }

  private List<DocumentRecord> tombstone(LedgerKey key, Instant sentAt) {
    if (sentAt != null
        && !overlaps
            .kept(ctx.documents().find(key).map(List::of).orElse(List.of()), sentAt)
            .isEmpty()) {
      return List.of();
    }
    return ctx.documents().markAllDeleted(List.of(key), true, "deleted by token");
  }
}
