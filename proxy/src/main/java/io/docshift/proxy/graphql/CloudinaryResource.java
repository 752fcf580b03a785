package io.docshift.proxy.graphql;

import com.fasterxml.jackson.databind.JsonNode;

/** One resource as the Admin API describes it (the fields the schema's {@code cloudinary} has). */
record CloudinaryResource(
    String assetId,
    double bytes,
    String format,
    double version,
    String etag,
    String createdAt,
    String accessMode) {

  static CloudinaryResource of(JsonNode r) {
    return new CloudinaryResource(
        text(r, "asset_id"),
        r.path("bytes").asDouble(),
        text(r, "format"),
        r.path("version").asDouble(),
        text(r, "etag"),
        text(r, "created_at"),
        text(r, "access_mode"));
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() || value.asText().isEmpty() ? null : value.asText();
  }
}
