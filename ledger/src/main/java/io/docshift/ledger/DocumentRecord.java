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
    String lastError,
    int attempts,
    Optional<Lease> lease,
    Instant createdAt,
    Instant updatedAt) {

  /**
   * The reason every access-control tombstone carries (possibly after a prefix naming who found it,
   * e.g. {@code verify: }): S3 has no access rules, so such a row is a tombstone although
   * Cloudinary still holds and serves the asset. Every other tombstone records a removal.
   */
  public static final String ACCESS_CONTROLLED = "access mode authenticated";

  /** Validates that the non-null parts are present. */
  public DocumentRecord {
    requireNonNull(asset, "asset");
    requireNonNull(s3, "s3");
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
   * because it was removed. A tombstone keeps the reason it was first written with.
   */
  public boolean accessControlled() {
    return state() == S3State.DELETED && lastError != null && lastError.endsWith(ACCESS_CONTROLLED);
  }

  /** Whether this row is a tombstone of a removal (a delete, or a rename's old key). */
  public boolean removed() {
    return state() == S3State.DELETED && !accessControlled();
  }

  DocumentRecord withAsset(CloudinaryAsset newAsset) {
    return new DocumentRecord(id, newAsset, s3, lastError, attempts, lease, createdAt, updatedAt);
  }

  /** A new S3 view; any lease ends, since the claimed work is done. */
  DocumentRecord withS3(S3Copy newS3, String newLastError) {
    return new DocumentRecord(
        id, asset, newS3, newLastError, attempts, Optional.empty(), createdAt, updatedAt);
  }

  /**
   * The same row with a new S3 copy and its lease kept: an intermediate step of the lease holder's
   * work (copied, not yet verified), which no other worker may claim meanwhile.
   */
  DocumentRecord withS3StillLeased(S3Copy newS3) {
    return new DocumentRecord(id, asset, newS3, null, attempts, lease, createdAt, updatedAt);
  }

  DocumentRecord withAttempts(int newAttempts) {
    return new DocumentRecord(id, asset, s3, lastError, newAttempts, lease, createdAt, updatedAt);
  }
}
