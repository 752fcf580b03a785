package io.docshift.write;

import io.docshift.ledger.DocumentRecord;
import io.docshift.ledger.LedgerKey;
import io.docshift.ledger.S3State;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * The uploads that overlapped a delete whose ids only Cloudinary's answer names (by prefix, tag,
 * {@code all}, {@code delete_by_token}): such a delete cannot take its ids' queues before it is
 * sent, so an upload of one of them may reach Cloudinary after the deletion while the answer is on
 * its way. Cloudinary then holds that upload, and the delete must not tombstone its row nor delete
 * its S3 copy. Such a row is one a write through DocShift changed after the delete was sent that
 * Cloudinary holds again (a delivery HEAD). Asked under the ids' queues, so no write of this
 * instance moves meanwhile; another instance's is judged by the ledger's dates (a comparison of the
 * instances' clocks).
 */
final class OverlappingUploads {
  private final WriteContext ctx;

  OverlappingUploads(WriteContext ctx) {
    this.ctx = ctx;
  }

  /** The keys of {@code rows} to keep: live, changed after {@code sentAt}, held by Cloudinary. */
  Set<LedgerKey> kept(Collection<DocumentRecord> rows, Instant sentAt) {
    Set<LedgerKey> kept = new HashSet<>();
    for (DocumentRecord row : rows) {
      if (row.state() != S3State.DELETED
          && row.updatedAt().isAfter(sentAt)
          && heldByCloudinary(row)) {
        kept.add(row.key());
      }
    }
    return kept;
  }

  private boolean heldByCloudinary(DocumentRecord row) {
    return S3Deletes.documentKey(row.key(), row.asset().format())
        .map(
            key -> {
              try {
                ctx.cloudinary().head(key).join();
                return true;
              } catch (RuntimeException e) {
                // Not found, or not known: the delete's word stands.
                return false;
              }
            })
        .orElse(false);
  }
}
