package io.docshift.read;

import io.docshift.core.key.DocumentKey;

/**
 * Told when a full body read from S3 did not hash to the digest the ledger recorded for it (the
 * client's transfer was aborted). Called on the thread that finished the body: implementations must
 * not block.
 */
@FunctionalInterface
public interface MismatchListener {
  /** Does nothing. */
  MismatchListener NONE = (key, algorithm, expectedHex, observedHex) -> {};

  /**
   * @param key the document read
   * @param algorithm {@code SHA-256} or {@code MD5}
   * @param expectedHex the digest the ledger recorded
   * @param observedHex the digest of the bytes S3 sent
   */
  void mismatched(DocumentKey key, String algorithm, String expectedHex, String observedHex);
}
