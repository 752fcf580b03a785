package io.docshift.read;

import java.util.Optional;

/**
 * What one ledger lookup tells the read path of a key, so a read that needs both facts reads the
 * row (and counts a failure) once.
 *
 * @param verifiedCopy the digest of the S3 copy when S3 may serve the key (verified, in the
 *     requested format; {@link ExpectedDigest#NONE} when no hash was recorded), empty otherwise
 * @param removed whether the document was removed through DocShift (a delete's tombstone or a
 *     rename's old key; an access-controlled tombstone is not a removal)
 */
record LedgerAnswer(Optional<ExpectedDigest> verifiedCopy, boolean removed) {
  /** No row, a row that is neither verified nor removed, or (for the router) an unread ledger. */
  static final LedgerAnswer NEITHER = new LedgerAnswer(Optional.empty(), false);
}
