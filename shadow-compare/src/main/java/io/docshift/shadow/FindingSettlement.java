package io.docshift.shadow;

import io.docshift.core.key.DocumentKey;
import io.docshift.ledger.LedgerKey;

/**
 * What happens to a finding once it is made: the ledger marks ({@link VerifyMarks}), then, when the
 * walk repairs, the repair ({@link Recopy}) whose result the finding then carries. A repair that
 * fails is reported on the finding, never thrown: the walk goes on.
 */
final class FindingSettlement {
  private final VerifyMarks marks;
  private final Recopy recopy;
  private final boolean repair;

  FindingSettlement(VerifyMarks marks, Recopy recopy, boolean repair) {
    this.marks = marks;
    this.recopy = recopy;
    this.repair = repair;
  }

  /** A finding about an expected document. */
  Finding settle(Checked checked, Finding finding) throws InterruptedException {
    marks.differs(checked, finding);
    if (!repair || !finding.kind().repairable()) {
      return finding;
    }
    try {
      Recopy.Result result =
          finding.kind() == FindingKind.TOMBSTONED_PRESENT
                  || finding.kind() == FindingKind.ACCESS_CONTROLLED_IN_S3
              ? recopy.delete(checked.expected().asset().key(), checked.key())
              : recopy.copy(checked.expected().asset(), checked.s3());
      return finding.repaired(result.done(), result.what());
    } catch (RuntimeException e) {
      return finding.repaired(false, "repair failed: " + e.getMessage());
    }
  }

  /** A finding about an S3 object the inventory did not account for. */
  Finding extra(ExtrasWalk.Extra extra) throws InterruptedException {
    String document = extra.key().map(DocumentKey::stickyId).orElse("");
    long size = extra.object().size();
    if (!extra.tombstone()) {
      return new Finding(
          FindingKind.EXTRA_IN_S3,
          document,
          extra.object().key(),
          size + " bytes no expected document accounts for",
          false,
          "");
    }
    Finding finding =
        new Finding(
            FindingKind.TOMBSTONED_PRESENT,
            document,
            extra.object().key(),
            "destroyed, but S3 still holds " + size + " bytes",
            false,
            "");
    if (!repair) {
      return finding;
    }
    DocumentKey key = extra.key().orElseThrow();
    try {
      Recopy.Result result = recopy.delete(LedgerKey.of(key), key);
      return finding.repaired(result.done(), result.what());
    } catch (RuntimeException e) {
      return finding.repaired(false, "repair failed: " + e.getMessage());
    }
  }
}
