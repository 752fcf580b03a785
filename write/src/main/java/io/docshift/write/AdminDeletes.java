package io.docshift.write;

import com.fasterxml.jackson.databind.JsonNode;
import io.docshift.ledger.DocumentRecord;
import io.docshift.ledger.LedgerKey;
import io.docshift.ledger.RepairTicket;
import io.docshift.ledger.S3State;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
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
 *
 * <p>A delete by {@code public_ids[]} holds its ids' queues for its whole run. A delete by prefix,
 * tag or {@code all} learns its ids from the answer only, so it takes their queues then, in chunks
 * of {@value #CHUNK}, around each chunk's tombstones and S3 deletes: an upload of one of them that
 * arrives after the answer waits and is never undone by the S3 delete; one that overlapped the
 * answer and that Cloudinary holds is kept ({@link OverlappingUploads}).
 */
final class AdminDeletes {
  /** {@code /v1_1/{cloud}/resources/{rt}[/{type}|/tags/{tag}]}. */
  static final Pattern PATH =
      Pattern.compile("/v1_1/([^/?]+)/resources/(image|video|raw)(?:/tags/([^?]+)|/([^/?]+))?/?");

  /** Ids locked and tombstoned together: bounds how deep one chunk nests its queue keys. */
  static final int CHUNK = 100;

  private final WriteContext ctx;
  private final S3Deletes s3;
  private final KeyedQueue perDocument;
  private final OverlappingUploads overlaps;

  AdminDeletes(WriteContext ctx, S3Deletes s3, KeyedQueue perDocument) {
    this.ctx = ctx;
    this.s3 = s3;
    this.perDocument = perDocument;
    this.overlaps = new OverlappingUploads(ctx);
  }

  /**
   * The per-document queue keys of a delete by {@code public_ids[]}; none for a delete by prefix,
   * tag or {@code all}, whose ids only Cloudinary's answer names.
   */
  static List<String> queueKeys(UploadCall call, Map<String, List<String>> params) {
    Matcher m = PATH.matcher(path(call.rawPath()));
    List<String> ids = FormParams.all(params, "public_ids");
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
    boolean queued = !queueKeys(call, params).isEmpty();
    Target target = new Target(m.group(2), m.group(3) == null ? type(m) : null);
    Map<LedgerKey, RepairTicket> intents =
        originals && ctx.auth().acceptsBasic(call.header("authorization"))
            ? s3.intended(intended(target, params), "Admin API delete in flight")
            : Map.of();
    Instant sentAt = ctx.clock().instant();
    return ctx.api()
        .exchange("DELETE", call.rawPath(), Removals.bodyOf(call), call.headers())
        .thenComposeAsync(
            reply -> {
              if (reply.status() != 200 || !originals) {
                s3.refused(intents);
                return CompletableFuture.completedFuture(ApiAnswer.relayed(reply));
              }
              Answered answered = Answered.of(reply);
              CompletableFuture<Void> followed =
                  queued
                      ? s3.follow(tombstone(answered, target, Set.of()), intents)
                      : followQueued(target, answered, sentAt, intents);
              return followed.thenApply(x -> ApiAnswer.relayed(reply));
            },
            ctx.blocking());
  }

  /**
   * The documents whose {@code delete} intents are committed before the call is sent, so that a
   * process killed between Cloudinary's answer and the tombstones leaves them to the repair worker
   * ({@link RemovalScope}); none for a tag delete, which spans delivery types.
   */
  private List<LedgerKey> intended(Target target, Map<String, List<String>> params) {
    return target.type() == null
        ? List.of()
        : RemovalScope.named(ctx, target.rt(), target.type(), params, true);
  }

  private List<LedgerKey> keys(Target target, List<String> ids) {
    return RemovalScope.keys(ctx, target.rt(), target.type(), ids);
  }

  private static String type(Matcher m) {
    return m.group(4) == null ? "upload" : m.group(4);
  }

  /**
   * The same chunk by chunk, each under the queues of its ids, taken now; a row an upload rewrote
   * after the delete was sent and that Cloudinary holds again stays ({@link OverlappingUploads}).
   * Each chunk's deletes go under the intents taken for its ids; once every chunk followed, the
   * intents of documents the answer does not name are settled (this call removed none of them).
   */
  private CompletableFuture<Void> followQueued(
      Target target, Answered answered, Instant sentAt, Map<LedgerKey, RepairTicket> intents) {
    Map<LedgerKey, RepairTicket> unclaimed = new ConcurrentHashMap<>(intents);
    List<CompletableFuture<Void>> chunks = new ArrayList<>();
    for (Answered chunk : answered.chunks(CHUNK)) {
      Map<LedgerKey, RepairTicket> claimed = claim(unclaimed, target, chunk);
      chunks.add(
          perDocument.runAll(
              queueKeys(target, chunk),
              () ->
                  ctx.blocking(
                          () ->
                              tombstone(chunk, target, overlaps.kept(rows(target, chunk), sentAt)))
                      .thenCompose(before -> s3.follow(before, claimed))));
    }
    return CompletableFuture.allOf(chunks.toArray(CompletableFuture[]::new))
        .thenRun(() -> s3.refused(unclaimed));
  }

  /** Takes out of {@code unclaimed} the intents of {@code chunk}'s ids. */
  private Map<LedgerKey, RepairTicket> claim(
      Map<LedgerKey, RepairTicket> unclaimed, Target target, Answered chunk) {
    if (unclaimed.isEmpty() || target.type() == null) {
      return Map.of();
    }
    Map<LedgerKey, RepairTicket> claimed = new HashMap<>();
    for (LedgerKey key : keys(target, chunk.all())) {
      RepairTicket ticket = unclaimed.remove(key);
      if (ticket != null) {
        claimed.put(key, ticket);
      }
    }
    return claimed;
  }

  /** The ledger rows of the deleted ids: of the delete's type, or of every type (tag deletes). */
  private List<DocumentRecord> rows(Target target, Answered answered) {
    String cloud = ctx.account().cloudName();
    return target.type() == null
        ? ctx.documents().findByPublicIds(cloud, target.rt(), answered.deleted())
        : ctx.documents().findAll(keys(target, answered.deleted()));
  }

  /**
   * The queue keys of the answered ids. A tag delete spans delivery types: it takes the id under
   * {@code upload} and under every type the ledger holds it in.
   */
  private List<String> queueKeys(Target target, Answered answered) {
    Set<String> keys = new TreeSet<>();
    if (target.type() != null) {
      for (String id : answered.all()) {
        keys.add(KeyedQueue.documentKey(target.rt(), target.type(), id));
      }
      return new ArrayList<>(keys);
    }
    for (String id : answered.deleted()) {
      keys.add(KeyedQueue.documentKey(target.rt(), "upload", id));
    }
    String cloud = ctx.account().cloudName();
    for (DocumentRecord row :
        ctx.documents().findByPublicIds(cloud, target.rt(), answered.deleted())) {
      keys.add(KeyedQueue.documentKey(target.rt(), row.key().type(), row.key().publicId()));
    }
    return new ArrayList<>(keys);
  }

  /**
   * Tombstones what the answer names but {@code kept}; a null type means every type (tag deletes).
   */
  private List<DocumentRecord> tombstone(Answered answered, Target target, Set<LedgerKey> kept) {
    String cloud = ctx.account().cloudName();
    String rt = target.rt();
    String reason = "deleted through the Admin API";
    List<DocumentRecord> before = new ArrayList<>();
    if (target.type() == null) {
      // Tag deletes span delivery types and the answer names public ids only: every row with a
      // deleted id goes (a removal's tombstone is re-dated and its S3 key emptied again; an
      // access-controlled one of another type is left, Cloudinary still serves it). A same-named
      // document of another type that lacked the tag is tombstoned too; it is then served from
      // Cloudinary, never wrongly from S3.
      List<LedgerKey> keys = new ArrayList<>();
      for (DocumentRecord row : ctx.documents().findByPublicIds(cloud, rt, answered.deleted())) {
        if ((row.state() != S3State.DELETED || row.removed()) && !kept.contains(row.key())) {
          keys.add(row.key());
        }
      }
      before.addAll(ctx.documents().markAllDeleted(keys, false, reason));
      return before;
    }
    List<LedgerKey> deleted = new ArrayList<>(keys(target, answered.deleted()));
    deleted.removeAll(kept);
    before.addAll(ctx.documents().markAllDeleted(deleted, true, reason));
    before.addAll(ctx.documents().markAllDeleted(keys(target, answered.notFound()), false, reason));
    return before;
  }

  /** The resource type and delivery type a delete covers; type null for a tag delete. */
  private record Target(String rt, String type) {}

  /** The ids of Cloudinary's answer, split by what it says of them. */
  private record Answered(List<String> deleted, List<String> notFound) {
    static Answered of(CloudinaryApi.Reply reply) {
      List<String> deleted = new ArrayList<>();
      List<String> notFound = new ArrayList<>();
      try {
        JsonNode map = ApiAnswer.JSON.readTree(reply.body()).path("deleted");
        map.properties()
            .forEach(
                e ->
                    ("deleted".equals(e.getValue().asText()) ? deleted : notFound).add(e.getKey()));
      } catch (IOException e) {
        throw new IllegalStateException("Cloudinary's delete answer is not JSON", e);
      }
      return new Answered(deleted, notFound);
    }

    List<String> all() {
      List<String> all = new ArrayList<>(deleted);
      all.addAll(notFound);
      return all;
    }

    /** Slices of at most {@code size} ids, deleted ones first. */
    List<Answered> chunks(int size) {
      List<Answered> chunks = new ArrayList<>();
      for (int i = 0; i < deleted.size(); i += size) {
        chunks.add(new Answered(deleted.subList(i, Math.min(deleted.size(), i + size)), List.of()));
      }
      for (int i = 0; i < notFound.size(); i += size) {
        chunks.add(
            new Answered(List.of(), notFound.subList(i, Math.min(notFound.size(), i + size))));
      }
      return chunks;
    }
  }

  /** The path of {@code rawPathAndQuery}, without the query. */
  static String path(String rawPathAndQuery) {
    int q = rawPathAndQuery.indexOf('?');
    return q < 0 ? rawPathAndQuery : rawPathAndQuery.substring(0, q);
  }
}
