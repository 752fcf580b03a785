package io.docshift.write;

import com.fasterxml.jackson.databind.JsonNode;
import io.docshift.ledger.DeleteTokenRows;
import io.docshift.ledger.DocumentRecord;
import io.docshift.ledger.LedgerKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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

  private final WriteContext ctx;
  private final S3Deletes s3;
  private final DeleteTokenRows tokens;
  private final KeyedQueue perDocument;

  TokenDeletes(WriteContext ctx, S3Deletes s3, DeleteTokenRows tokens, KeyedQueue perDocument) {
    this.ctx = ctx;
    this.s3 = s3;
    this.tokens = tokens;
    this.perDocument = perDocument;
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

  CompletableFuture<ApiAnswer> delete(UploadCall call, Map<String, List<String>> params) {
    String token = FormParams.first(params, "token");
    // Looked up before the call: Cloudinary forgets an accepted token, and so does the ledger.
    Optional<LedgerKey> key = token == null ? Optional.empty() : tokens.find(token);
    return ctx.api()
        .exchange("POST", call.rawPath(), Removals.bodyOf(call), call.headers())
        .thenComposeAsync(
            reply -> {
              if (reply.status() != 200) {
                return CompletableFuture.completedFuture(ApiAnswer.relayed(reply));
              }
              if (key.isEmpty()) {
                LOG.warn("delete_by_token accepted for a token no instance stored");
                return CompletableFuture.completedFuture(ApiAnswer.relayed(reply));
              }
              tokens.forget(token);
              LedgerKey k = key.get();
              String queueKey = KeyedQueue.documentKey(k.resourceType(), k.type(), k.publicId());
              return perDocument
                  .run(queueKey, () -> ctx.blocking(() -> tombstone(k)).thenCompose(s3::follow))
                  .thenApply(x -> ApiAnswer.relayed(reply));
            },
            ctx.blocking());
  }

  private List<DocumentRecord> tombstone(LedgerKey key) {
    return ctx.documents().markAllDeleted(List.of(key), true, "deleted by token");
  }
}
