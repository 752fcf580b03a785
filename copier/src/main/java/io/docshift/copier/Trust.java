package io.docshift.copier;

import java.util.Optional;

/**
 * What a writer may believe of an S3 object it finds.
 *
 * @param confirmed the version is Cloudinary's word just now: a newer-claiming object with other
 *     bytes is stale
 * @param damaged the object's bytes are known to differ from its metadata: never proof of a copy
 * @param seenEtag S3's own ETag of the object as the caller saw it, for the first {@code If-Match}
 */
record Trust(boolean confirmed, boolean damaged, Optional<String> seenEtag) {
  static final Trust PLAIN = new Trust(false, false, Optional.empty());

  Trust forgetSeen() {
    return new Trust(confirmed, damaged, Optional.empty());
  }
}
