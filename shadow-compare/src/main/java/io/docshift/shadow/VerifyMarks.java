package io.docshift.shadow;

import io.docshift.ledger.DocumentRecord;
import io.docshift.ledger.Ledger;
import io.docshift.ledger.LedgerKey;
import io.docshift.ledger.MismatchSample;
import io.docshift.ledger.MismatchSource;
import io.docshift.ledger.S3State;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * What a difference found by {@code verify} changes in the ledger, before any repair: when the
 * ledger believed S3 held a good copy ({@code copied}, {@code verified}, or already {@code
 * mismatch}), a capped mismatch sample (source {@code verify}) is kept and the row goes to {@code
 * mismatch}, so no proxy serves the document from S3 any more (the ledger announces the change to
 * every instance's read cache). Documents the ledger knows are not copied yet are reported, not
 * marked: that is the backfill's business. An access-controlled document's S3 copy makes its row a
 * tombstone (as the backfill does).
 */
final class VerifyMarks {
  private static final Set<S3State> BELIEVED_COPIED =
      EnumSet.of(S3State.COPIED, S3State.VERIFIED, S3State.MISMATCH);
  private static final Set<FindingKind> CONTENT =
      EnumSet.of(
          FindingKind.MISSING_IN_S3,
          FindingKind.CHECKSUM_DIFFERS,
          FindingKind.SIZE_DIFFERS,
          FindingKind.CONTENT_TYPE_DIFFERS);

  private final Ledger ledger;

  VerifyMarks(Ledger ledger) {
    this.ledger = ledger;
  }

  void differs(Checked checked, Finding finding) {
    if (finding.kind() == FindingKind.ACCESS_CONTROLLED_IN_S3) {
      // Not a content difference: S3 must stop serving it at once, repaired or not.
      ledger
          .documents()
          .markAccessControlled(
              checked.expected().asset(), "verify: " + DocumentRecord.ACCESS_CONTROLLED);
      return;
    }
    if (!CONTENT.contains(finding.kind())) {
      return;
    }
    LedgerKey key = checked.expected().asset().key();
    Optional<DocumentRecord> row = ledger.documents().find(key);
    if (row.isEmpty() || !BELIEVED_COPIED.contains(row.get().state())) {
      return;
    }
    ledger
        .mismatches()
        .record(
            new MismatchSample(
                key,
                MismatchSource.VERIFY,
                finding.kind().tag() + ": " + finding.detail(),
                checked.cloudinary().observation(),
                checked.s3Read().observation()));
    ledger
        .documents()
        .markMismatch(key, "verify: " + finding.detail(), checked.s3Read().md5(), null);
  }
}
