package io.docshift.shadow;

import io.docshift.core.digest.Digests;
import io.docshift.ledger.MismatchSample;

/**
 * What one read of an original showed, reduced to what a comparison needs: no bytes are kept.
 *
 * @param status HTTP-like status: 200 for a whole body, 404 when the store does not hold it
 * @param bytes body length actually received (0 for 404)
 * @param contentType the media type the store declared, or null when unknown (404, or a listing)
 * @param crc32c CRC-32C of the bytes received, or null when not read (404, stored metadata)
 * @param md5 lowercase MD5 hex of the bytes, or null when not computed
 */
record ReadSummary(int status, long bytes, String contentType, String crc32c, String md5) {
  static final int OK = 200;
  static final int NOT_FOUND = 404;

  static ReadSummary notFound() {
    return new ReadSummary(NOT_FOUND, 0, null, null, null);
  }

  static ReadSummary body(long bytes, String contentType, Digests digests) {
    return new ReadSummary(OK, bytes, contentType, digests.crc32c(), digests.md5());
  }

  /** What stored metadata says (a listing, a HEAD): length and MD5, no bytes read. */
  static ReadSummary stored(long bytes, String md5) {
    return new ReadSummary(OK, bytes, null, null, md5);
  }

  boolean found() {
    return status == OK;
  }

  /** This read as one side of a ledger mismatch sample. */
  MismatchSample.Observation observation() {
    return new MismatchSample.Observation(status, found() ? bytes : null, md5, null);
  }
}
