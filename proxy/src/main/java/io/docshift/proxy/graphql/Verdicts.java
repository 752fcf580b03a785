package io.docshift.proxy.graphql;

import io.docshift.core.store.DocumentMeta;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Whether both stores agree on one document, from what they say now (not from the ledger, which
 * records what was last observed): same MD5 and, when S3's version is known, the same version. A
 * listing carries no user metadata, so listed S3 metadata has no version and only the MD5 (S3's own
 * ETag, computed over the stored bytes) is compared.
 */
final class Verdicts {
  private Verdicts() {}

  static Map<String, Object> of(CloudinaryResource cloudinary, Optional<DocumentMeta> s3) {
    if (cloudinary == null && s3.isEmpty()) {
      return verdict(false, "in neither store");
    }
    if (cloudinary == null) {
      return verdict(false, "not in Cloudinary");
    }
    if (s3.isEmpty()) {
      return verdict(false, "not in S3");
    }
    DocumentMeta meta = s3.get();
    String s3Md5 = meta.md5Hex().orElse(null);
    if (cloudinary.etag() == null || s3Md5 == null) {
      return verdict(
          false, "an MD5 is unknown (Cloudinary " + cloudinary.etag() + ", S3 " + s3Md5 + ")");
    }
    if (!cloudinary.etag().equals(s3Md5)) {
      return verdict(false, "md5 differs: Cloudinary " + cloudinary.etag() + ", S3 " + s3Md5);
    }
    long version = (long) cloudinary.version();
    if (meta.version().isPresent() && meta.version().getAsLong() != version) {
      return verdict(
          false, "version differs: Cloudinary " + version + ", S3 " + meta.version().getAsLong());
    }
    return verdict(true, null);
  }

  /** A verdict nobody can give now: a store did not answer. */
  static Map<String, Object> unknown(String reason) {
    Map<String, Object> m = new HashMap<>();
    m.put("consistent", null);
    m.put("reason", reason);
    return m;
  }

  private static Map<String, Object> verdict(boolean consistent, String reason) {
    Map<String, Object> m = new HashMap<>();
    m.put("consistent", consistent);
    m.put("reason", reason);
    return m;
  }
}
