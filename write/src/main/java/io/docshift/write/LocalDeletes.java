package io.docshift.write;

import io.docshift.core.outcome.Backend;
import io.docshift.core.outcome.Outcome;
import io.docshift.ledger.DocumentRecord;
import io.docshift.ledger.LedgerKey;
import io.docshift.ledger.S3State;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;

/**
 * Admin API deletes by {@code public_ids[]}, by {@code prefix} and {@code all} in {@code S3_ONLY},
 * answered by DocShift from the ledger and S3: Cloudinary never got the documents written in this
 * mode (or is retired), so its answer cannot name them. DocShift checks the Basic credentials
 * itself, tombstones the ledger's live rows, deletes their S3 objects under repair intents and
 * answers in Cloudinary's shape ({@code deleted}, {@code deleted_counts}, {@code partial}, {@code
 * next_cursor}), at most {@value #PAGE} per call as Cloudinary pages them.
 *
 * <p>What a prefix or {@code all} delete means here: the documents the ledger knows (written
 * through DocShift, or listed by the backfill), not whatever Cloudinary may still hold besides;
 * Cloudinary's copies are left as they are, as a {@code destroy} in this mode leaves them. A delete
 * by tag is not answered here: the ledger keeps no tags (an {@code S3_ONLY} upload keeps none and
 * answers {@code "tags": []}), so tag deletes still go to Cloudinary, which knows the tags of what
 * it holds, and fail while Cloudinary cannot be reached.
 */
final class LocalDeletes {
  /** Cloudinary's page of a bulk delete. */
  static final int PAGE = 1000;

  private static final int SCAN = 500;
  private static final String CURSOR_PREFIX = "docshift:";

  private final WriteContext ctx;
  private final S3Deletes s3;
  private final KeyedQueue perDocument;

  LocalDeletes(WriteContext ctx, S3Deletes s3, KeyedQueue perDocument) {
    this.ctx = ctx;
    this.s3 = s3;
    this.perDocument = perDocument;
  }

  /** Whether DocShift answers this delete itself: originals, by ids, prefix or all, not by tag. */
  static boolean handles(UploadCall call, Map<String, List<String>> params) {
    Matcher m = AdminDeletes.PATH.matcher(AdminDeletes.path(call.rawPath()));
    return m.matches()
        && m.group(3) == null
        && !FormParams.flag(params, "keep_original")
        && FormParams.first(params, "transformations") == null;
  }

  /** Called holding the queues of the ids a delete by {@code public_ids[]} names. */
  CompletableFuture<ApiAnswer> delete(UploadCall call, Map<String, List<String>> params) {
    ctx.auth().verifyBasic(call.header("authorization"));
    Matcher m = AdminDeletes.PATH.matcher(AdminDeletes.path(call.rawPath()));
    if (!m.matches()) {
      throw new BadUpload(404, "Not an Admin API delete: " + call.rawPath());
    }
    String rt = m.group(2);
    String type = m.group(4) == null ? "upload" : m.group(4);
    List<String> ids = FormParams.all(params, "public_ids");
    if (ids != null && !ids.isEmpty()) {
      return byIds(rt, type, ids);
    }
    String prefix = FormParams.first(params, "prefix");
    if (prefix == null && !FormParams.flag(params, "all")) {
      throw new BadUpload(400, "Missing required parameter - public_ids, prefix or all");
    }
    Page page = page(rt, type, prefix == null ? "" : prefix, after(params));
    List<CompletableFuture<Void>> chunks = new ArrayList<>();
    for (int i = 0; i < page.rows().size(); i += AdminDeletes.CHUNK) {
      List<DocumentRecord> chunk =
          page.rows().subList(i, Math.min(page.rows().size(), i + AdminDeletes.CHUNK));
      List<String> keys = new ArrayList<>();
      chunk.forEach(r -> keys.add(queueKey(r.key())));
      chunks.add(perDocument.runAll(keys, () -> tombstone(chunk)));
    }
    Map<String, Object> deleted = new LinkedHashMap<>();
    page.rows().forEach(r -> deleted.put(r.key().publicId(), "deleted"));
    return CompletableFuture.allOf(chunks.toArray(CompletableFuture[]::new))
        .thenApply(x -> answer(deleted, page.nextCursor()));
  }

  private CompletableFuture<ApiAnswer> byIds(String rt, String type, List<String> ids) {
    if (ids.size() > 100) {
      throw new BadUpload(400, "Too many public_ids (" + ids.size() + "), at most 100");
    }
    String cloud = ctx.account().cloudName();
    Map<String, Object> deleted = new LinkedHashMap<>();
    List<LedgerKey> keys = new ArrayList<>();
    for (String id : ids) {
      keys.add(new LedgerKey(cloud, rt, type, id));
      deleted.put(id, "not_found");
    }
    List<DocumentRecord> live = new ArrayList<>();
    for (DocumentRecord row : ctx.documents().findAll(keys)) {
      if (row.state() != S3State.DELETED) {
        live.add(row);
        deleted.put(row.key().publicId(), "deleted");
      }
    }
    return tombstone(live).thenApply(x -> answer(deleted, null));
  }

  private CompletableFuture<Void> tombstone(List<DocumentRecord> rows) {
    return ctx.blocking(
            () -> {
              List<LedgerKey> keys = new ArrayList<>();
              rows.forEach(r -> keys.add(r.key()));
              return ctx.documents().markAllDeleted(keys, false, "deleted through the Admin API");
            })
        .thenCompose(s3::follow);
  }

  /**
   * Up to {@value #PAGE} live rows of {@code rt}/{@code type} under {@code prefix}, in id order.
   */
  private Page page(String rt, String type, String prefix, long afterId) {
    String cloud = ctx.account().cloudName();
    List<DocumentRecord> rows = new ArrayList<>();
    long after = afterId;
    while (true) {
      List<DocumentRecord> scanned = ctx.documents().pageByPrefix(cloud, prefix, null, after, SCAN);
      for (DocumentRecord row : scanned) {
        LedgerKey key = row.key();
        if (key.resourceType().equals(rt)
            && key.type().equals(type)
            && row.state() != S3State.DELETED) {
          if (rows.size() == PAGE) {
            return new Page(rows, cursor(rows.get(PAGE - 1).id()));
          }
          rows.add(row);
        }
      }
      if (scanned.size() < SCAN) {
        return new Page(rows, null);
      }
      after = scanned.get(scanned.size() - 1).id();
    }
  }

  private static ApiAnswer answer(Map<String, Object> deleted, String nextCursor) {
    Map<String, Object> counts = new LinkedHashMap<>();
    deleted.forEach(
        (id, what) ->
            counts.put(id, Map.of("original", "deleted".equals(what) ? 1 : 0, "derived", 0)));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("deleted", deleted);
    body.put("deleted_counts", counts);
    body.put("partial", nextCursor != null);
    if (nextCursor != null) {
      body.put("next_cursor", nextCursor);
    }
    return ApiAnswer.json(200, body, Optional.of(Backend.S3), Outcome.SUCCESS);
  }

  /** An opaque cursor naming the last ledger row of a page. */
  private static String cursor(long lastId) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((CURSOR_PREFIX + lastId).getBytes(StandardCharsets.UTF_8));
  }

  private static long after(Map<String, List<String>> params) {
    String cursor = FormParams.first(params, "next_cursor");
    if (cursor == null) {
      return 0;
    }
    try {
      String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      if (text.startsWith(CURSOR_PREFIX)) {
        return Long.parseLong(text.substring(CURSOR_PREFIX.length()));
      }
    } catch (IllegalArgumentException e) {
      // Falls through to Cloudinary's refusal.
    }
    throw new BadUpload(400, "Invalid next_cursor " + cursor);
  }

  private static String queueKey(LedgerKey key) {
    return KeyedQueue.documentKey(key.resourceType(), key.type(), key.publicId());
  }

  /** One page of a bulk delete and the cursor of the next, null on the last. */
  private record Page(List<DocumentRecord> rows, String nextCursor) {}
}
