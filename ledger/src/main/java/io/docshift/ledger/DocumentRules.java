package io.docshift.ledger;

import java.util.Objects;

/**
 * The ledger's state machine as pure functions: given the current row and a request, what happens.
 * Kept apart from SQL so every rule reads in one place and is tested without a database.
 */
final class DocumentRules {

  /** A transition's result and, when the row changes, its new content. */
  record Decision(Transition result, DocumentRecord next) {
    static Decision refuse(Transition result) {
      return new Decision(result, null);
    }
  }

  private DocumentRules() {}

  /**
   * Never downgrade a version; never let a listing revive a tombstone; a write revives one only
   * with a strictly newer version. A write known to be ordered after everything the row says
   * ({@link UpsertOrigin#ORDERED_WRITE}) always applies: Cloudinary accepted it last, whatever its
   * version (a destroy resets Cloudinary's version to the clock's second, which can lie below the
   * version of the overwrites before it). Cloudinary's own details of the asset ({@link
   * UpsertOrigin#CONFIRMED}) may lower the version too, but never revive a tombstone.
   */
  static UpsertResult upsertResult(DocumentRecord row, CloudinaryAsset asset, UpsertOrigin origin) {
    long known = row.asset().version();
    if (row.state() == S3State.DELETED) {
      boolean after =
          origin == UpsertOrigin.ORDERED_WRITE
              || (origin == UpsertOrigin.WRITE && asset.version() > known);
      return after ? UpsertResult.RESURRECTED : UpsertResult.TOMBSTONE_KEPT;
    }
    boolean authoritative =
        origin == UpsertOrigin.ORDERED_WRITE || origin == UpsertOrigin.CONFIRMED;
    if (asset.version() < known && !authoritative) {
      return UpsertResult.IGNORED_OLDER;
    }
    if (asset.version() > known) {
      return UpsertResult.UPDATED;
    }
    return merge(row.asset(), asset).equals(row.asset())
        ? UpsertResult.UNCHANGED
        : UpsertResult.UPDATED;
  }

  /** The row after an upsert that {@link #upsertResult} said changes it. */
  static DocumentRecord applyUpsert(DocumentRecord row, CloudinaryAsset asset) {
    CloudinaryAsset merged =
        asset.version() == row.asset().version() ? merge(row.asset(), asset) : asset;
    boolean sameContent =
        merged.version() == row.asset().version()
            && (row.asset().etag() == null || row.asset().etag().equals(merged.etag()))
            && row.state() != S3State.DELETED;
    if (sameContent) {
      return row.withAsset(merged);
    }
    // New content: whatever S3 holds is stale, so reading from S3 must stop until it is copied.
    return row.withAsset(merged).withS3(S3Copy.NONE, null).withAttempts(0);
  }

  /** Same version: a missing format or etag is filled in, never erased. */
  private static CloudinaryAsset merge(CloudinaryAsset known, CloudinaryAsset seen) {
    return new CloudinaryAsset(
        known.key(),
        seen.format() != null ? seen.format() : known.format(),
        known.version(),
        seen.etag() != null ? seen.etag() : known.etag(),
        seen.bytes());
  }

  /** S3 now holds exactly the Cloudinary version the row describes. */
  static Decision copied(DocumentRecord row, long version, String md5, String sha256) {
    S3Copy s3 = row.s3();
    if (s3.state() == S3State.DELETED) {
      return Decision.refuse(Transition.WRONG_STATE);
    }
    if (version != row.asset().version()) {
      return Decision.refuse(Transition.STALE_VERSION);
    }
    boolean sameObject =
        Objects.equals(s3.version(), version)
            && equalHex(s3.md5(), md5)
            && equalHex(s3.sha256(), sha256);
    if (sameObject && (s3.state() == S3State.COPIED || s3.state() == S3State.VERIFIED)) {
      return Decision.refuse(Transition.ALREADY);
    }
    S3Copy next = new S3Copy(S3State.COPIED, version, lower(md5), lower(sha256));
    // The lease stays until verified: released here, another worker's verify phase could claim
    // the row between the copy and its verification and count it twice.
    return new Decision(Transition.APPLIED, row.withS3StillLeased(next));
  }

  /**
   * The S3 object of {@code version} hashes to {@code md5}/{@code sha256}. Verified iff the MD5
   * equals Cloudinary's etag (when known) and both hashes equal those recorded at copy time.
   */
  static Decision verified(DocumentRecord row, long version, String md5, String sha256) {
    S3Copy s3 = row.s3();
    if (s3.state() == S3State.DELETED || s3.state() == S3State.ABSENT) {
      return Decision.refuse(Transition.WRONG_STATE);
    }
    if (version != row.asset().version() || !Objects.equals(s3.version(), version)) {
      return Decision.refuse(Transition.STALE_VERSION);
    }
    String etag = row.asset().etag();
    boolean recordedHashesCount = s3.state() != S3State.MISMATCH;
    if ((etag != null && !equalHex(etag, md5))
        || (recordedHashesCount && !agrees(s3.md5(), md5))
        || (recordedHashesCount && !agrees(s3.sha256(), sha256))) {
      return Decision.refuse(Transition.HASH_MISMATCH);
    }
    if (s3.state() == S3State.VERIFIED) {
      return Decision.refuse(Transition.ALREADY);
    }
    S3Copy next = new S3Copy(S3State.VERIFIED, version, lower(md5), lower(sha256));
    return new Decision(Transition.APPLIED, row.withS3(next, null));
  }

  /**
   * {@link #copied}, then {@link #verified} on its result: the copy step's refusal, or the verify
   * step's result with the row as far as it got (copied, when verification refuses).
   */
  static Decision copiedAndVerified(DocumentRecord row, long version, String md5, String sha256) {
    Decision copied = copied(row, version, md5, sha256);
    if (copied.next() == null && copied.result() != Transition.ALREADY) {
      return copied;
    }
    DocumentRecord current = copied.next() == null ? row : copied.next();
    Decision verified = verified(current, version, md5, sha256);
    return new Decision(
        verified.result(), verified.next() == null ? copied.next() : verified.next());
  }

  /** S3 content was seen to differ; the observed hashes (either may be null) are recorded. */
  static Decision mismatch(DocumentRecord row, String reason, String md5, String sha256) {
    S3State state = row.state();
    if (state == S3State.DELETED || state == S3State.ABSENT) {
      return Decision.refuse(Transition.WRONG_STATE);
    }
    S3Copy next = new S3Copy(S3State.MISMATCH, row.s3().version(), lower(md5), lower(sha256));
    return new Decision(Transition.APPLIED, row.withS3(next, reason));
  }

  /**
   * S3 refused a copy of {@code version} whose bytes were not Cloudinary's, and stored nothing: the
   * row becomes {@code mismatch} (no read trusts S3, the backfill tries again) with the S3 copy
   * described as before, since S3 still holds whatever it held.
   */
  static Decision refused(DocumentRecord row, long version, String reason) {
    if (row.state() == S3State.DELETED) {
      return Decision.refuse(Transition.WRONG_STATE);
    }
    if (version != row.asset().version()) {
      return Decision.refuse(Transition.STALE_VERSION);
    }
    return new Decision(
        Transition.APPLIED, row.withS3(row.s3().withState(S3State.MISMATCH), reason));
  }

  /**
   * The row becomes a tombstone for {@code why}; the S3 version and hashes stay so the S3 delete
   * can be checked. A removal of a row that already is a tombstone re-dates it (now): the repairs
   * revive a tombstone only for an upload dated after it, and an upload acknowledged to nobody (its
   * writer died) that is older than the latest acknowledged removal must not come back. A removal
   * also turns an access-controlled tombstone into a removal's, since a removed document must not
   * be served by Cloudinary either. Marking a tombstone access-controlled changes nothing (served
   * by neither store is the stricter answer).
   */
  static Decision deleted(DocumentRecord row, TombstoneReason why, String reason) {
    if (row.state() == S3State.DELETED && why == TombstoneReason.ACCESS_CONTROLLED) {
      return Decision.refuse(Transition.ALREADY);
    }
    return new Decision(Transition.APPLIED, row.asTombstone(why, reason));
  }

  /** A recorded hash that is absent cannot disagree. */
  private static boolean agrees(String recorded, String seen) {
    return recorded == null || equalHex(recorded, seen);
  }

  private static boolean equalHex(String a, String b) {
    return a == null ? b == null : a.equalsIgnoreCase(b);
  }

  private static String lower(String hex) {
    return hex == null ? null : hex.toLowerCase(java.util.Locale.ROOT);
  }
}
