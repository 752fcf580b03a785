package io.docshift.write;

import io.docshift.ledger.DocumentRecord;
import io.docshift.ledger.LedgerKey;
import io.docshift.ledger.RepairOperation;
import io.docshift.ledger.RepairTicket;
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
    String accessMode = FormParams.first(params, "access_mode");
    LedgerKey key = new LedgerKey(ctx.account().cloudName(), m.group(2), m.group(3), publicId(m));
    boolean bulkForm = key.publicId().equals(BULK);
    Map<LedgerKey, RepairTicket> intent =
        "authenticated".equals(accessMode) && ctx.auth().acceptsBasic(call.header("authorization"))
            ? s3.intended(
                bulkForm
                    ? RemovalScope.named(ctx, key.resourceType(), key.type(), params, false)
                    : List.of(key),
                "access mode update in flight")
            : Map.of();
    return Removals.relayedAfter(
        ctx,
        call,
        reply -> {
          if (accessMode == null) {
            return CompletableFuture.completedFuture(null);
          }
          return bulkForm ? bulk.follow(key, reply, intent) : follow(key, reply, intent);
        },
        () -> s3.refused(intent));
  }

  /**
   * @param intent the {@code delete} intent committed before a change to {@code authenticated} was
   *     sent: a kill after Cloudinary's answer leaves it, and its repair, finding the asset
   *     access-controlled, makes the row an access-controlled tombstone and empties S3
   */
  private CompletableFuture<Void> follow(
      LedgerKey key, CloudinaryApi.Reply reply, Map<LedgerKey, RepairTicket> intent) {
    if (accessControlled(reply)) {
      return s3.follow(
          ctx.documents()
              .markAllAccessControlled(List.of(key), false, DocumentRecord.ACCESS_CONTROLLED),
          intent);
    }
    s3.refused(intent); // Cloudinary kept it public: nothing of S3's to remove
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
