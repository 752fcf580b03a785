package io.docshift.write;

import com.fasterxml.jackson.databind.JsonNode;
import io.docshift.ledger.DocumentRecord;
import io.docshift.ledger.LedgerKey;
import io.docshift.ledger.RepairTicket;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Admin API {@code POST /resources/{rt}/{type}/update_access_mode} (the SDKs' {@code
 * update_resources_access_mode_by_ids}, {@code _by_prefix}, {@code _by_tag}), after Cloudinary's
 * 200: every asset its answer lists under {@code updated} with {@code access_mode: authenticated}
 * has its row tombstoned and its S3 copy deleted, as for a single {@code update}. Assets made
 * {@code public} this way are left as they are: a tombstoned row keeps them on Cloudinary (served
 * there, not copied) until a single {@code update} or a new upload makes them public through
 * DocShift; the answer names no version or format to place a row with. A change to {@code
 * authenticated} that DocShift authenticates commits the {@code delete} intents of the documents it
 * can name before the call is sent ({@link RemovalScope}), so a kill after Cloudinary's answer
 * leaves them to the repair worker.
 */
final class AccessModeBulkUpdates {
  private final WriteContext ctx;
  private final S3Deletes s3;

  AccessModeBulkUpdates(WriteContext ctx, S3Deletes s3) {
    this.ctx = ctx;
    this.s3 = s3;
  }

  /**
   * @param path names the cloud, resource type and type; its public id is the action
   * @param intents the {@code delete} intents committed before a change to {@code authenticated}
   *     was sent ({@link RemovalScope}): those of documents the answer made authenticated cover
   *     their S3 deletes, the others are settled
   */
  CompletableFuture<Void> follow(
      LedgerKey path, CloudinaryApi.Reply reply, Map<LedgerKey, RepairTicket> intents) {
    List<LedgerKey> authenticated = new ArrayList<>();
    for (JsonNode updated : json(reply).path("updated")) {
      String id = updated.path("public_id").asText(null);
      if (id != null && "authenticated".equals(updated.path("access_mode").asText(null))) {
        authenticated.add(new LedgerKey(path.cloud(), path.resourceType(), path.type(), id));
      }
    }
    return s3.follow(
        authenticated.isEmpty()
            ? List.of()
            : ctx.documents()
                .markAllAccessControlled(authenticated, false, DocumentRecord.ACCESS_CONTROLLED),
        intents);
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
