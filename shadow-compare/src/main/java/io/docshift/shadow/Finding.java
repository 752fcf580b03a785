package io.docshift.shadow;

import static java.util.Objects.requireNonNull;

/**
 * One document or object {@code docshift verify} reports.
 *
 * @param kind what is wrong
 * @param document the document, {@code cloud/resource_type/type/public_id}
 * @param s3Key the S3 object key concerned
 * @param detail what was seen, for people (sizes, hashes, the failure)
 * @param repaired whether {@code --repair} fixed it in this run
 * @param repair what the repair did or why it did not (empty when no repair was tried)
 */
public record Finding(
    FindingKind kind,
    String document,
    String s3Key,
    String detail,
    boolean repaired,
    String repair) {
  /** Validates that no component is null. */
  public Finding {
    requireNonNull(kind, "kind");
    requireNonNull(document, "document");
    requireNonNull(s3Key, "s3Key");
    requireNonNull(detail, "detail");
    requireNonNull(repair, "repair");
  }

  Finding repaired(boolean done, String what) {
    return new Finding(kind, document, s3Key, detail, done, what);
  }
}
