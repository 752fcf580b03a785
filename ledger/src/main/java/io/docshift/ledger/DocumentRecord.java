package io.docshift.ledger;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * One ledger row: what Cloudinary holds, what S3 holds, and the bookkeeping of copying it.
 *
 * @param id surrogate id; claim order and paging follow it
 * @param asset the Cloudinary metadata (newest version seen)
 * @param s3 the S3 copy's state
 * @param tombstone why the row is a tombstone when {@code s3}'s state is {@link S3State#DELETED},
 *     null otherwise
 * @param lastError the last failure or reason for the current state, or null
 * @param attempts how many times a worker claimed this document for copying
 * @param lease the current worker lease, if any (it may have expired)
 * @param createdAt when the row was first written
 * @param updatedAt when the row last changed
 */
public record DocumentRecord(
    long id,
    CloudinaryAsset asset,
    S3Copy s3,
    TombstoneReason tombstone,
    String lastError,
    int attempts,
    Optional<Lease> lease,
    Instant createdAt,
    Instant updatedAt) {

  /**
   * The error text of an access-control tombstone (possibly after a prefix naming who found it,
   * e.g. {@code verify: }), for a person reading the row; code reads {@link #tombstone}.
   */
  public static final String ACCESS_CONTROLLED = "access mode authenticated";

  /** Validates that the non-null parts are present. */
  public DocumentRecord {
    requireNonNull(asset, "asset");
    requireNonNull(s3, "s3");
    if ((s3.state() == S3State.DELETED) != (tombstone != null)) {
      throw new IllegalArgumentException(
          "tombstone: "
              + tombstone
              + " (expected: a reason exactly when "
              + s3.state()
              + " is deleted)");
    }
    requireNonNull(lease, "lease");
    requireNonNull(createdAt, "createdAt");
    requireNonNull(updatedAt, "updatedAt");
  }

  /** Shorthand for {@code asset().key()}. */
  public LedgerKey key() {
    return asset.key();
  }

  /** Shorthand for {@code s3().state()}. */
  public S3State state() {
    return s3.state();
  }

  /**
   * Whether this row is a tombstone because the asset is access-controlled at Cloudinary, not
   * because it was removed. A removal through DocShift turns it into a removal's tombstone.
   */
  public boolean accessControlled() {
    return tombstone == TombstoneReason.ACCESS_CONTROLLED;
  }

  /** Whether this row is a tombstone of a removal (a delete, or a rename's old key). */
  public boolean removed() {
    return tombstone == TombstoneReason.REMOVED;
  }

  DocumentRecord withAsset(CloudinaryAsset newAsset) {
    return new DocumentRecord(
        id, newAsset, s3, tombstone, lastError, attempts, lease, createdAt, updatedAt);
  }

  /**
   * A new S3 view that is no tombstone (a tombstone is made by {@link #asTombstone}); any lease
   * ends, since the claimed work is done.
   */
  DocumentRecord withS3(S3Copy newS3, String newLastError) {
    return new DocumentRecord(
        id, asset, newS3, null, newLastError, attempts, Optional.empty(), createdAt, updatedAt);
  }

  /**
   * This row as a tombstone for {@code reason}; the S3 version and hashes stay so the S3 delete can
   * be checked, and any lease ends.
   */
  DocumentRecord asTombstone(TombstoneReason reason, String newLastError) {
    return new DocumentRecord(
        id,
        asset,
        s3.withState(S3State.DELETED),
        requireNonNull(reason, "reason"),
        newLastError,
        attempts,
        Optional.empty(),
        createdAt,
        updatedAt);
  }

  /**
   * The same row with a new S3 copy and its lease kept: an intermediate step of the lease holder's
   * work (copied, not yet verified), which no other worker may claim meanwhile.
   */
  DocumentRecord withS3StillLeased(S3Copy newS3) {
    return new DocumentRecord(id, asset, newS3, null, null, attempts, lease, createdAt, updatedAt);
  }

  DocumentRecord withAttempts(int newAttempts) {
    return new DocumentRecord(
        id, asset, s3, tombstone, lastError, newAttempts, lease, createdAt, updatedAt);
  }
}
