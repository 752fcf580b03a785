package io.docshift.write;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.docshift.ledger.DocumentRecord;
import io.docshift.ledger.LedgerKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code delete_by_token}: Cloudinary's answer names no document, so this instance remembers the
 * {@code delete_token} of each upload answer it relayed (tokens live 10 minutes at Cloudinary) and,
 * when Cloudinary accepts the token, tombstones that document before relaying the answer. A token
 * this instance never saw (the upload went through another instance, or before a restart) is still
 * passed on, but the ledger cannot follow it: it is logged, and {@code verify} finds the stale S3
 * copy.
 */
final class TokenDeletes {
  private static final Logger LOG = LoggerFactory.getLogger(TokenDeletes.class);
  private static final Duration TOKEN_LIFE = Duration.ofMinutes(10);

  private final WriteContext ctx;
  private final S3Deletes s3;
  private final Cache<String, LedgerKey> tokens =
      Caffeine.newBuilder().expireAfterWrite(TOKEN_LIFE).maximumSize(100_000).build();

  TokenDeletes(WriteContext ctx, S3Deletes s3) {
    this.ctx = ctx;
    this.s3 = s3;
  }

  /** Remembers the token of an upload answer that carries one. */
  void uploaded(ApiAnswer answer) {
    if (answer.status() != 200
        || !new String(answer.body(), StandardCharsets.UTF_8).contains("\"delete_token\"")) {
      return;
    }
    try {
      JsonNode json = ApiAnswer.JSON.readTree(answer.body());
      String token = json.path("delete_token").asText("");
      if (!token.isEmpty() && json.hasNonNull("public_id")) {
        tokens.put(
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
    LedgerKey key = token == null ? null : tokens.getIfPresent(token);
    return ctx.api()
        .exchange("POST", call.rawPath(), Removals.bodyOf(call), call.headers())
        .thenComposeAsync(
            reply -> {
              if (reply.status() != 200) {
                return CompletableFuture.completedFuture(ApiAnswer.relayed(reply));
              }
              if (key == null) {
                LOG.warn("delete_by_token accepted for a token this instance never saw");
                return CompletableFuture.completedFuture(ApiAnswer.relayed(reply));
              }
              tokens.invalidate(token);
              List<DocumentRecord> before =
                  ctx.documents().markAllDeleted(List.of(key), true, "deleted by token");
              return s3.follow(before).thenApply(x -> ApiAnswer.relayed(reply));
            },
            ctx.blocking());
  }
}
