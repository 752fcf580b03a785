package io.docshift.copier;

import io.docshift.core.key.DocumentKey;
import io.docshift.core.store.DocumentStore;
import io.docshift.ledger.Documents;
import io.docshift.ledger.LedgerKey;
import io.docshift.ledger.Transition;
import java.util.Locale;

/**
 * Records what S3 now holds in the ledger: {@code copied}, then {@code verified} when the MD5
 * equals Cloudinary's etag, or {@code mismatch} with both hashes when it does not (never {@code
 * verified}). The ledger's version guards decide what a late result may still change: a newer
 * version listed or written meanwhile refuses the transition ({@code stale_version}), and a destroy
 * meanwhile leaves a tombstone, whose freshly written object is deleted again so the backfill never
 * resurrects a destroyed document.
 */
final class Settlement {
  private final Documents documents;
  private final DocumentStore s3;

  Settlement(Documents documents, DocumentStore s3) {
    this.documents = documents;
    this.s3 = s3;
  }

  /**
   * @param expectedMd5 Cloudinary's etag (or the delivery ETag when the listing had none); null
   *     when unknown, and then S3's own checksum validation is the only proof
   * @param uploaded whether this worker wrote the object (else it found it already there)
   */
  CopyOutcome settle(
      Copied copy, DocumentKey key, String expectedMd5, boolean uploaded, long bytes) {
    LedgerKey ledgerKey = copy.key();
    boolean matches = expectedMd5 == null || expectedMd5.equalsIgnoreCase(copy.md5());
    if (matches) {
      // The common case settles in one ledger transaction: copied, then verified.
      Transition settled =
          documents.markCopiedAndVerified(ledgerKey, copy.version(), copy.md5(), copy.sha256());
      return verifiedOutcome(settled, copy, key, expectedMd5, uploaded, bytes);
    }
    Transition copied = documents.markCopied(ledgerKey, copy.version(), copy.md5(), copy.sha256());
    switch (copied) {
      case APPLIED:
      case ALREADY:
        break;
      case STALE_VERSION:
        return CopyOutcome.skipped(
            CopyOutcome.STALE, "a newer version of " + ledgerKey + " arrived");
      case WRONG_STATE:
        return destroyed(key, ledgerKey, uploaded);
      default:
        return CopyOutcome.failed("ledger_" + word(copied), "mark copied " + ledgerKey);
    }
    return mismatch(copy, expectedMd5, bytes);
  }

  private CopyOutcome verifiedOutcome(
      Transition verified,
      Copied copy,
      DocumentKey key,
      String expectedMd5,
      boolean uploaded,
      long bytes) {
    LedgerKey ledgerKey = copy.key();
    if (verified == Transition.WRONG_STATE) {
      return destroyed(key, ledgerKey, uploaded);
    }
    if (verified == Transition.APPLIED || verified == Transition.ALREADY) {
      return uploaded
          ? CopyOutcome.copied(bytes)
          : CopyOutcome.skipped(CopyOutcome.ALREADY_IN_S3, "");
    }
    if (verified == Transition.HASH_MISMATCH) {
      return mismatch(copy, expectedMd5, bytes);
    }
    if (verified == Transition.STALE_VERSION) {
      return CopyOutcome.skipped(CopyOutcome.STALE, "a newer version of " + ledgerKey + " arrived");
    }
    return CopyOutcome.failed("ledger_" + word(verified), "mark verified " + ledgerKey);
  }

  private CopyOutcome destroyed(DocumentKey key, LedgerKey ledgerKey, boolean uploaded) {
    String detail = ledgerKey + " was destroyed meanwhile";
    if (uploaded) {
      try {
        s3.delete(key).join();
      } catch (RuntimeException e) {
        // The tombstone stays; deleting S3 copies of destroyed documents is the repair outbox's
        // job.
        detail += "; deleting the copy just written failed: " + e.getMessage();
      }
    }
    return CopyOutcome.skipped("destroyed", detail);
  }

  private CopyOutcome mismatch(Copied copy, String expectedMd5, long bytes) {
    String detail =
        "S3 md5 "
            + copy.md5()
            + " sha256 "
            + copy.sha256()
            + " differs from Cloudinary etag "
            + expectedMd5;
    documents.markMismatch(copy.key(), detail, copy.md5(), copy.sha256());
    return CopyOutcome.mismatch(copy.key() + ": " + detail, bytes);
  }

  /**
   * S3 refused a streamed body because its MD5 was not Cloudinary's etag ({@code BadDigest}), so S3
   * holds nothing new: the row becomes {@code mismatch}, its reason naming the SHA-256 of the bytes
   * Cloudinary served (null when they did not all go by; their MD5 was S3's to check). A destroy or
   * a newer version meanwhile is reported as for a copy.
   */
  CopyOutcome refused(LedgerKey key, long version, String etag, String sha256, long bytes) {
    String detail =
        "S3 refused the bytes Cloudinary served (sha256 "
            + sha256
            + "): their md5 differs from Cloudinary etag "
            + etag;
    Transition marked = documents.markRefused(key, version, detail);
    switch (marked) {
      case APPLIED:
        return CopyOutcome.mismatch(key + ": " + detail, bytes);
      case STALE_VERSION:
        return CopyOutcome.skipped(CopyOutcome.STALE, "a newer version of " + key + " arrived");
      case WRONG_STATE:
        return CopyOutcome.skipped("destroyed", key + " was destroyed meanwhile");
      default:
        return CopyOutcome.failed("ledger_" + word(marked), "mark refused " + key);
    }
  }

  private static String word(Transition t) {
    return t.name().toLowerCase(Locale.ROOT);
  }

  /** One S3 object's identity as the ledger records it. */
  record Copied(LedgerKey key, long version, String md5, String sha256) {}
}
