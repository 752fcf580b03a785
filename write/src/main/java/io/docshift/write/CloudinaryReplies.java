package io.docshift.write;

import com.fasterxml.jackson.databind.JsonNode;
import io.docshift.core.key.DeliveryType;
import io.docshift.core.key.DocumentKey;
import io.docshift.core.key.ResourceType;
import io.docshift.ledger.CloudinaryAsset;
import io.docshift.ledger.LedgerKey;
import java.io.IOException;
import java.util.Optional;

/**
 * Reads Cloudinary's upload answer (Cloudinary contract §5): the canonical key, version, etag and
 * size of what it stored. Intermediate {@code upload_large} answers ({@code done:false}) and
 * anything without a version are not final.
 */
final class CloudinaryReplies {
  private CloudinaryReplies() {}

  /** The stored asset an upload answer describes, or empty for an intermediate chunk answer. */
  static Optional<Stored> stored(String cloud, CloudinaryApi.Reply reply) throws IOException {
    JsonNode json = ApiAnswer.JSON.readTree(reply.body());
    if (json == null || !json.hasNonNull("version") || !json.hasNonNull("public_id")) {
      return Optional.empty();
    }
    if (json.has("done") && !json.get("done").asBoolean(true)) {
      return Optional.empty();
    }
    ResourceType rt =
        ResourceType.fromWire(json.path("resource_type").asText(""))
            .orElseThrow(() -> new IOException("resource_type missing in " + json));
    DeliveryType type =
        DeliveryType.fromWire(json.path("type").asText("upload"))
            .orElseThrow(() -> new IOException("unsupported type in " + json));
    String format = rt.formatOutsidePublicId() ? text(json, "format") : null;
    DocumentKey key = DocumentKey.of(cloud, rt, type, json.get("public_id").asText(), format);
    CloudinaryAsset asset =
        new CloudinaryAsset(
            LedgerKey.of(key),
            format,
            json.get("version").asLong(),
            text(json, "etag"),
            json.path("bytes").asLong(0));
    return Optional.of(new Stored(key, asset));
  }

  /**
   * The stored asset of a final answer (a rename, an access mode update), which always names one.
   *
   * @param call names the call in the failure's message
   * @throws IllegalStateException when the answer is not JSON or names no public id or version
   */
  static Stored storedAfter(String call, String cloud, CloudinaryApi.Reply reply) {
    try {
      return stored(cloud, reply).orElseThrow(() -> new IOException("no public_id or version"));
    } catch (IOException e) {
      throw new IllegalStateException("Cloudinary's " + call + " answer is unreadable", e);
    }
  }

  /**
   * Whether Cloudinary kept an asset that already existed instead of storing the upload ({@code
   * overwrite=false}, the rule for every unsigned upload): nothing changed, nothing to copy.
   */
  static boolean keptExisting(CloudinaryApi.Reply reply) throws IOException {
    JsonNode json = ApiAnswer.JSON.readTree(reply.body());
    return json != null && json.path("existing").asBoolean(false);
  }

  /**
   * Whether the answer (an upload or an Admin API {@code update}) reports {@code access_mode:
   * authenticated}: Cloudinary then answers the asset's unsigned URL with 401, so S3, which would
   * serve it to anyone, must not hold it.
   */
  static boolean accessControlled(CloudinaryApi.Reply reply) throws IOException {
    JsonNode json = ApiAnswer.JSON.readTree(reply.body());
    return json != null && "authenticated".equals(json.path("access_mode").asText(null));
  }

  private static String text(JsonNode json, String field) {
    return json.hasNonNull(field) ? json.get(field).asText() : null;
  }

  /** The document key and ledger asset of one stored upload. */
  record Stored(DocumentKey key, CloudinaryAsset asset) {}
}
