package io.docshift.write;

import com.fasterxml.jackson.databind.JsonNode;
import io.docshift.ledger.DocumentRecord;
import io.docshift.ledger.LedgerKey;
import io.docshift.ledger.S3State;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Admin API deletes ({@code DELETE /v1_1/{cloud}/resources/{rt}/{type}} by {@code public_ids[]},
 * {@code prefix} or {@code all}; {@code DELETE .../resources/{rt}/tags/{tag}}): the client's call
 * goes to Cloudinary as is (Basic auth is Cloudinary's to check), and on a 200 every id of the
 * answer's {@code deleted} map is tombstoned before the answer is relayed — a {@code not_found} id
 * only when the ledger has a row for it. The answer lists every id it deleted, so a bulk delete
 * Cloudinary pages ({@code partial}, {@code next_cursor}) is followed page by page as the client
 * repeats the call. Calls that delete derived versions only ({@code keep_original}, {@code
 * transformations}) change nothing here.
 */
final class AdminDeletes {
  /** {@code /v1_1/{cloud}/resources/{rt}[/{type}|/tags/{tag}]}. */
  static final Pattern PATH =
      Pattern.compile("/v1_1/([^/?]+)/resources/(image|video|raw)(?:/tags/([^?]+)|/([^/?]+))?/?");

  private final WriteContext ctx;
  private final S3Deletes s3;

  AdminDeletes(WriteContext ctx, S3Deletes s3) {
    this.ctx = ctx;
    this.s3 = s3;
  }

  /**
   * The per-document queue keys of a delete by {@code public_ids[]}; none for a delete by prefix,
   * tag or {@code all}, whose ids only Cloudinary's answer names.
   */
  static List<String> queueKeys(UploadCall call, Map<String, List<String>> params) {
    Matcher m = PATH.matcher(path(call.rawPath()));
    List<String> ids = params.getOrDefault("public_ids[]", params.get("public_ids"));
    if (!m.matches() || m.group(3) != null || ids == null) {
      return List.of();
    }
    List<String> keys = new ArrayList<>(ids.size());
    for (String id : ids) {
      keys.add(KeyedQueue.documentKey(m.group(2), m.group(4), id));
    }
    return keys;
  }

  CompletableFuture<ApiAnswer> delete(UploadCall call, Map<String, List<String>> params) {
    Matcher m = PATH.matcher(path(call.rawPath()));
    if (!m.matches()) {
      throw new BadUpload(404, "Not an Admin API delete: " + call.rawPath());
    }
    boolean originals =
        !FormParams.flag(params, "keep_original")
            && FormParams.first(params, "transformations") == null;
    return ctx.api()
        .exchange("DELETE", call.rawPath(), Removals.bodyOf(call), call.headers())
        .thenComposeAsync(
            reply -> {
              if (reply.status() != 200 || !originals) {
                return CompletableFuture.completedFuture(ApiAnswer.relayed(reply));
              }
              String rt = m.group(2);
              String tag = m.group(3);
              String type = m.group(4) == null ? "upload" : m.group(4);
              return s3.follow(tombstone(reply, rt, tag == null ? type : null))
                  .thenApply(x -> ApiAnswer.relayed(reply));
            },
            ctx.blocking());
  }

  /** Tombstones what the answer names; {@code type} null means every type (tag deletes). */
  private List<DocumentRecord> tombstone(CloudinaryApi.Reply reply, String rt, String type) {
    List<String> deleted = new ArrayList<>();
    List<String> notFound = new ArrayList<>();
    try {
      JsonNode map = ApiAnswer.JSON.readTree(reply.body()).path("deleted");
      map.properties()
          .forEach(
              e -> ("deleted".equals(e.getValue().asText()) ? deleted : notFound).add(e.getKey()));
    } catch (IOException e) {
      throw new IllegalStateException("Cloudinary's delete answer is not JSON", e);
    }
    String cloud = ctx.account().cloudName();
    String reason = "deleted through the Admin API";
    List<DocumentRecord> before = new ArrayList<>();
    if (type == null) {
      // Tag deletes span delivery types and the answer names public ids only: every live row
      // with a deleted id goes. A same-named document of another type that lacked the tag is
      // tombstoned too; it is then served from Cloudinary, never wrongly from S3.
      List<LedgerKey> keys = new ArrayList<>();
      for (DocumentRecord row : ctx.documents().findByPublicIds(cloud, rt, deleted)) {
        if (row.state() != S3State.DELETED) {
          keys.add(row.key());
        }
      }
      before.addAll(ctx.documents().markAllDeleted(keys, false, reason));
      return before;
    }
    before.addAll(ctx.documents().markAllDeleted(keys(cloud, rt, type, deleted), true, reason));
    before.addAll(ctx.documents().markAllDeleted(keys(cloud, rt, type, notFound), false, reason));
    return before;
  }

  private static List<LedgerKey> keys(String cloud, String rt, String type, List<String> ids) {
    List<LedgerKey> keys = new ArrayList<>(ids.size());
    for (String id : ids) {
      keys.add(new LedgerKey(cloud, rt, type, id));
    }
    return keys;
  }

  private static String path(String rawPathAndQuery) {
    int q = rawPathAndQuery.indexOf('?');
    return q < 0 ? rawPathAndQuery : rawPathAndQuery.substring(0, q);
  }
}
