package io.docshift.write;

import io.docshift.ledger.DocumentRecord;
import io.docshift.ledger.LedgerKey;
import io.docshift.ledger.RepairOperation;
import io.docshift.ledger.S3State;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Admin API {@code update} ({@code POST /v1_1/{cloud}/resources/{rt}/{type}/{public_id}}) that
 * names {@code access_mode}: the call goes to Cloudinary as is (Basic auth is Cloudinary's to
 * check), and on a 200 the ledger follows the access mode Cloudinary's answer reports, before the
 * answer is relayed. S3 has no access rules of its own, so an {@code authenticated} document must
 * not be served from S3 at all: its row becomes a tombstone (reads go to Cloudinary, which checks
 * the signature; no listing or repair brings the copy back) and the S3 copy is deleted. Back to
 * {@code public}, a tombstoned row takes the asset again with no S3 copy and a {@code put} repair
 * copies Cloudinary's original, after which S3 serves it. A refused update changes nothing; an
 * update without {@code access_mode} (tags, context) passes through untouched.
 */
final class AccessUpdates {
  /** {@code /v1_1/{cloud}/resources/{rt}/{type}/{public_id}}. */
  static final Pattern PATH =
      Pattern.compile("/v1_1/([^/?]+)/resources/(image|video|raw)/([^/?]+)/([^?]+)");

  private final WriteContext ctx;
  private final S3Deletes s3;
  private final Consumer<LedgerKey> forget;
  private final AccessModeBulkUpdates bulk;

  AccessUpdates(WriteContext ctx, S3Deletes s3, Consumer<LedgerKey> forget) {
    this.ctx = ctx;
    this.s3 = s3;
    this.forget = forget;
    this.bulk = new AccessModeBulkUpdates(ctx, s3);
  }

  /** The bulk form, {@code .../resources/{rt}/{type}/update_access_mode} (the SDKs' way). */
  static final String BULK = "update_access_mode";

  /** The per-document queue key of the updated document (none for the bulk form). */
  static List<String> queueKeys(UploadCall call, Map<String, List<String>> params) {
    Matcher m = PATH.matcher(call.rawPath());
    return m.matches() && !publicId(m).equals(BULK)
        ? List.of(KeyedQueue.documentKey(m.group(2), m.group(3), publicId(m)))
        : List.of();
  }

  CompletableFuture<ApiAnswer> update(UploadCall call, Map<String, List<String>> params) {
    Matcher m = PATH.matcher(call.rawPath());
    if (!m.matches()) {
      throw new BadUpload(404, "Not an Admin API update: " + call.rawPath());
    }
    boolean namesAccessMode = FormParams.first(params, "access_mode") != null;
    LedgerKey key = new LedgerKey(ctx.account().cloudName(), m.group(2), m.group(3), publicId(m));
    return Removals.relayedAfter(
        ctx,
        call,
        reply -> {
          if (!namesAccessMode) {
            return CompletableFuture.completedFuture(null);
          }
          return key.publicId().equals(BULK) ? bulk.follow(key, reply) : follow(key, reply);
        });
  }

  private CompletableFuture<Void> follow(LedgerKey key, CloudinaryApi.Reply reply) {
    if (accessControlled(reply)) {
      return s3.follow(
          ctx.documents()
              .markAllAccessControlled(List.of(key), false, DocumentRecord.ACCESS_CONTROLLED));
    }
    Optional<DocumentRecord> row = ctx.documents().find(key);
    if (row.isPresent() && row.get().state() != S3State.DELETED) {
      return CompletableFuture.completedFuture(null); // already public and tracked
    }
    CloudinaryReplies.Stored stored =
        CloudinaryReplies.storedAfter("update", ctx.account().cloudName(), reply);
    ctx.documents().move(key, stored.asset(), "access mode public");
    forget.accept(key);
    // Due now: the repair worker copies Cloudinary's original back to S3.
    ctx.outbox().enqueue(key, RepairOperation.PUT, "access mode public");
    return CompletableFuture.completedFuture(null);
  }

  private static boolean accessControlled(CloudinaryApi.Reply reply) {
    try {
      return CloudinaryReplies.accessControlled(reply);
    } catch (IOException e) {
      throw new IllegalStateException("Cloudinary's update answer is not JSON", e);
    }
  }

  private static String publicId(Matcher m) {
    // '+' is a literal plus in a path segment, not a space.
    return URLDecoder.decode(m.group(4).replace("+", "%2B"), StandardCharsets.UTF_8);
  }
}
