package io.docshift.write;

import io.docshift.ledger.DocumentRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Uploads Cloudinary stored with {@code access_mode: authenticated} (an Upload API form field).
 * Cloudinary answers such an asset's unsigned URL with 401; S3 has no access rules and would serve
 * it to anyone, so its S3 copy is never written (the choice over "written but never servable": no
 * object, nothing to leak through a later bug or a bucket listing). The ledger row becomes a
 * tombstone in the same step (reads go to Cloudinary, which checks the signature; no listing or
 * repair copies it), and an S3 copy of an earlier, public version is deleted under a {@code delete}
 * intent. A later public upload of the document, or an {@code update} back to {@code public},
 * revives the row.
 */
final class AccessControlledUploads {
  private final WriteContext ctx;
  private final S3Deletes s3;

  AccessControlledUploads(WriteContext ctx) {
    this.ctx = ctx;
    this.s3 = new S3Deletes(ctx, ctx::forget);
  }

  /** Whether Cloudinary's upload answer reports {@code access_mode: authenticated}. */
  static boolean applies(CloudinaryApi.Reply reply) {
    try {
      return CloudinaryReplies.accessControlled(reply);
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable Cloudinary upload answer", e);
    }
  }

  /** Tombstones the stored asset's row and deletes an earlier S3 copy; never writes S3. */
  CompletableFuture<Void> follow(CloudinaryReplies.Stored stored) {
    List<DocumentRecord> before =
        ctx.documents()
            .markAllAccessControlled(
                List.of(stored.asset().key()), true, DocumentRecord.ACCESS_CONTROLLED);
    ctx.written(stored.key());
    return s3.follow(before);
  }
}
