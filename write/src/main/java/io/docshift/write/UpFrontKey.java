package io.docshift.write;

import io.docshift.core.key.DocumentKey;
import io.docshift.core.key.InvalidDocumentKeyException;
import io.docshift.core.key.ResourceType;
import io.docshift.core.key.UploadKeys;
import java.io.IOException;
import java.util.Optional;

/**
 * The S3 key of a Cloudinary-primary upload, named before Cloudinary answers: from the form's
 * {@code public_id} and, for images and videos, the format sniffed from the file's first bytes (or
 * its file name's extension). Null when it cannot be named up front: no {@code public_id}, a
 * chunked or remote-URL upload, an unknown resource type or format. Cloudinary's answer may still
 * name another key (another format); the writers compare before trusting it.
 */
final class UpFrontKey {
  private UpFrontKey() {}

  /** The key, or null. */
  static DocumentKey of(WriteContext ctx, UploadCall call, SpooledForm form) {
    if (form.param("public_id") == null || call.header("x-unique-upload-id") != null) {
      return null;
    }
    Optional<ResourceType> rt = ResourceType.fromWire(call.resourceType());
    if (rt.isEmpty()) {
      return null;
    }
    return form.file().filter(f -> !f.isText()).map(f -> key(ctx, form, rt.get(), f)).orElse(null);
  }

  private static DocumentKey key(
      WriteContext ctx, SpooledForm form, ResourceType rt, SpooledForm.FilePart part) {
    String format = null;
    if (rt.formatOutsidePublicId()) {
      try {
        format = Formats.sniff(new FileRegion(form.body(), part.offset(), part.length()).head(16));
      } catch (IOException e) {
        return null;
      }
      format = format != null ? format : Formats.extension(part.filename());
      if (format == null) {
        return null;
      }
    }
    try {
      return UploadKeys.fromParams(ctx.account().cloudName(), rt, form.params(), format);
    } catch (InvalidDocumentKeyException e) {
      return null;
    }
  }
}
