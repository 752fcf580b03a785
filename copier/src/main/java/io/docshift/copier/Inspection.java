package io.docshift.copier;

import io.docshift.core.digest.Digests;
import io.docshift.core.store.DocumentMeta;
import io.docshift.core.store.PutCondition;
import io.docshift.ledger.DocumentRecord;
import io.docshift.ledger.S3Copy;
import io.docshift.ledger.S3State;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the S3 object found at a document's key means for a put of one version of it, decided the
 * same way for every writer that makes S3 hold a document's bytes: the copier ({@link
 * DocumentCopier}) and the write path's secondary S3 write. No I/O here, so a blocking and an
 * asynchronous caller share the rules:
 *
 * <ul>
 *   <li>nothing there: put with {@code If-None-Match: *};
 *   <li>a newer {@code cloudinary-version}: leave it ({@link Kind#NEWER}), unless the caller's
 *       version is Cloudinary's word just now and the object holds other bytes (a leftover from
 *       before a destroy, which Cloudinary numbers below it again);
 *   <li>the same version holding the expected bytes: already held ({@link Kind#HELD}), with its
 *       SHA-256 ({@link #sha256()}); an object without a version claim has the version recorded
 *       with its MD5 (a dual-write to a new document records the version in the ledger's row);
 *   <li>anything else: replace it, with {@code If-Match} on the ETag seen ({@link Kind#REPLACE}).
 * </ul>
 *
 * "The expected bytes" are proven by MD5 first: an object's SHA-256 is its metadata's, or — for a
 * streamed copy, whose metadata has none — the one recorded with that same MD5 ({@link
 * S3Copy#sha256Of}). So a streamed copy of the bytes a writer holds counts as those bytes.
 *
 * @param kind what to do
 * @param condition the put's condition for {@link Kind#REPLACE} (and for nothing found); null else
 * @param found the object seen, empty when S3 had none
 * @param sha256 the held object's SHA-256 for {@link Kind#HELD}; null else
 */
public record Inspection(
    Kind kind, PutCondition condition, Optional<DocumentMeta> found, String sha256) {

  /** What a writer does about the object it found. */
  public enum Kind {
    /** S3 holds a newer version: never overwritten. */
    NEWER,
    /** S3 already holds these bytes of this version: nothing to put. */
    HELD,
    /** Put, under {@link #condition()}. */
    REPLACE
  }

  /**
   * The write path's view: S3 should hold the bytes described by {@code digests} as {@code
   * version}. An object found with that version and those bytes (by SHA-256, or by MD5 for a
   * streamed copy) is held; one with that version and other bytes is replaced.
   */
  public static Inspection forBytes(Optional<DocumentMeta> found, long version, Digests digests) {
    S3Copy mine = written(version, digests);
    Inspection seen = of(found, version, digests.md5(), mine, Trust.PLAIN);
    if (seen.kind() == Kind.HELD && !digests.sha256().equals(seen.sha256())) {
      // Same MD5, another SHA-256 in its metadata: not these bytes.
      return replace(seen.found().get(), Trust.PLAIN);
    }
    return seen;
  }

  /**
   * Whether {@code object} holds the bytes described by {@code digests}, whatever version it
   * claims: its metadata's SHA-256 is theirs, or it has none and its MD5 is theirs (a streamed copy
   * of the same bytes).
   */
  public static boolean holds(DocumentMeta object, Digests digests) {
    return written(null, digests).sha256Of(object).equals(Optional.of(digests.sha256()));
  }

  /**
   * The ledger has never recorded an S3 object for this row (or forgot it for a newer version), so
   * a put may take {@code If-None-Match: *} without asking S3 first.
   */
  public static boolean noKnownCopy(DocumentRecord row) {
    return row.state() == S3State.ABSENT && row.s3().version() == null;
  }

  /** The copier's view: S3 should hold the row's version, whose etag may be unknown. */
  static Inspection of(Optional<DocumentMeta> found, DocumentRecord row, Trust trust) {
    return of(found, row.asset().version(), row.asset().etag(), row.s3(), trust);
  }

  private static Inspection of(
      Optional<DocumentMeta> found, long version, String etag, S3Copy recorded, Trust trust) {
    if (found.isEmpty()) {
      return new Inspection(Kind.REPLACE, PutCondition.ifAbsent(), found, null);
    }
    DocumentMeta meta = found.get();
    if (meta.version().isPresent()
        && meta.version().getAsLong() > version
        && !(trust.confirmed() && otherBytes(meta, etag))) {
      return new Inspection(Kind.NEWER, null, found, null);
    }
    Optional<String> sha256 = sha256(meta, etag, recorded);
    OptionalLong claimed = claimed(meta, recorded);
    if (claimed.isPresent()
        && claimed.getAsLong() == version
        && !trust.damaged()
        && sha256.isPresent()) {
      return new Inspection(Kind.HELD, null, found, sha256.get());
    }
    return replace(meta, trust);
  }

  /**
   * The version {@code meta} claims, or for an object without a claim, the version {@code recorded}
   * for the same bytes (same MD5): a dual-write to a new document puts S3 before Cloudinary names
   * the version, and records it in the ledger's row instead of the object's metadata. Such an
   * object never counts as newer than anything.
   */
  private static OptionalLong claimed(DocumentMeta meta, S3Copy recorded) {
    if (meta.version().isPresent() || recorded.version() == null) {
      return meta.version();
    }
    boolean same = meta.md5Hex().filter(md5 -> md5.equalsIgnoreCase(recorded.md5())).isPresent();
    return same ? OptionalLong.of(recorded.version()) : OptionalLong.empty();
  }

  private static Inspection replace(DocumentMeta meta, Trust trust) {
    Optional<String> etag = trust.seenEtag().isPresent() ? trust.seenEtag() : meta.etag();
    PutCondition condition = etag.map(PutCondition::ifMatch).orElse(PutCondition.none());
    return new Inspection(Kind.REPLACE, condition, Optional.of(meta), null);
  }

  /** The S3 object holds other bytes than the expected ones (whose MD5 is known). */
  private static boolean otherBytes(DocumentMeta meta, String etag) {
    return etag != null && meta.md5Hex().map(md5 -> !md5.equalsIgnoreCase(etag)).orElse(true);
  }

  /**
   * The SHA-256 of an S3 object that is complete: it carries the MD5 and, when the expected MD5 is
   * known, that MD5 is it; the SHA-256 comes from its metadata, or, for an object a streamed copy
   * wrote (whose metadata has none), from {@code recorded} when that recorded the same MD5. Empty
   * when the object proves nothing.
   */
  private static Optional<String> sha256(DocumentMeta meta, String etag, S3Copy recorded) {
    Optional<String> md5 = meta.md5Hex();
    if (md5.isEmpty() || (etag != null && !etag.equalsIgnoreCase(md5.get()))) {
      return Optional.empty();
    }
    return recorded.sha256Of(meta);
  }

  private static S3Copy written(Long version, Digests digests) {
    return new S3Copy(S3State.COPIED, version, digests.md5(), digests.sha256());
  }
}
