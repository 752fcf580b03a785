package io.docshift.app.write;

/**
 * A document a test uploads: its resource type, public_id and (for images) the format Cloudinary
 * keeps outside the public_id, which together name it in both stores.
 */
record Doc(String rt, String publicId, String format) {
  /** A PDF uploaded as an image (format {@code pdf}, outside the public_id). */
  static Doc image(String publicId) {
    return new Doc("image", publicId, "pdf");
  }

  /** A raw document (any extension stays in the public_id). */
  static Doc raw(String publicId) {
    return new Doc("raw", publicId, null);
  }

  /** {@code {resource_type}/upload/{public_id}[.{format}]}, the same in both stores. */
  String path() {
    return rt + "/upload/" + publicId + (format == null ? "" : "." + format);
  }

  /** A seed for this document's random bytes. */
  long seed() {
    return publicId.hashCode();
  }
}
