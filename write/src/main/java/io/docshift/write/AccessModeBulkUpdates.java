package io.docshift.write;

import com.fasterxml.jackson.databind.JsonNode;
import io.docshift.ledger.DocumentRecord;
import io.docshift.ledger.LedgerKey;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Admin API {@code POST /resources/{rt}/{type}/update_access_mode} (the SDKs' {@code
 * update_resources_access_mode_by_ids}, {@code _by_prefix}, {@code _by_tag}), after Cloudinary's
 * 200: every asset its answer lists under {@code updated} with {@code access_mode: authenticated}
 * has its row tombstoned and its S3 copy deleted, as for a single {@code update}. Assets made
 * {@code public} this way are left as they are: a tombstoned row keeps them on Cloudinary (served
 * there, not copied) until a single {@code update} or a new upload makes them public through
 * DocShift; the answer names no version or format to place a row with.
 */
final class AccessModeBulkUpdates {
  private final WriteContext ctx;
  private final S3Deletes s3;

  AccessModeBulkUpdates(WriteContext ctx, S3Deletes s3) {
    this.ctx = ctx;
    this.s3 = s3;
  }

  /** {@code path} names the cloud, resource type and type; its public id is the action. */
  CompletableFuture<Void> follow(LedgerKey path, CloudinaryApi.Reply reply) {
    List<LedgerKey> authenticated = new ArrayList<>();
    for (JsonNode updated : json(reply).path("updated")) {
      String id = updated.path("public_id").asText(null);
      if (id != null && "authenticated".equals(updated.path("access_mode").asText(null))) {
        authenticated.add(new LedgerKey(path.cloud(), path.resourceType(), path.type(), id));
      }
    }
    if (authenticated.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    return s3.follow(
        ctx.documents()
            .markAllAccessControlled(authenticated, false, DocumentRecord.ACCESS_CONTROLLED));
  }

  private static JsonNode json(CloudinaryApi.Reply reply) {
    try {
      JsonNode json = ApiAnswer.JSON.readTree(reply.body());
      return json == null ? ApiAnswer.JSON.createObjectNode() : json;
    } catch (IOException e) {
      throw new IllegalStateException("Cloudinary's update_access_mode answer is not JSON", e);
    }
  }
}
