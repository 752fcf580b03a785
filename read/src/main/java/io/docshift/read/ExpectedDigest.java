package io.docshift.read;

import io.docshift.core.digest.Digester;
import io.docshift.core.digest.Digests;
import java.security.MessageDigest;
import java.util.Locale;

/**
 * The digest the ledger recorded for a verified S3 copy, which a full body read from S3 must hash
 * to. SHA-256 when recorded, MD5 otherwise: with the CPU's SHA extensions the JDK hashes SHA-256
 * about twice as fast as MD5, and it is the stronger check.
 *
 * @param algorithm a {@link MessageDigest} algorithm name, or null for {@link #NONE}
 * @param hex lower-case hex of the expected digest, or null for {@link #NONE}
 */
record ExpectedDigest(String algorithm, String hex) {
  /** Nothing recorded: the body cannot be checked. */
  static final ExpectedDigest NONE = new ExpectedDigest(null, null);

  static ExpectedDigest of(String md5, String sha256) {
    if (sha256 != null) {
      return new ExpectedDigest("SHA-256", sha256.toLowerCase(Locale.ROOT));
    }
    if (md5 != null) {
      return new ExpectedDigest("MD5", md5.toLowerCase(Locale.ROOT));
    }
    return NONE;
  }

  boolean checkable() {
    return algorithm != null;
  }

  /** A digester of this digest's algorithm, for one body. */
  Digester newDigester() {
    return Digester.of(md5() ? Digester.Algorithm.MD5 : Digester.Algorithm.SHA256);
  }

  /** The hex digest of this algorithm among what a {@link #newDigester()} computed. */
  String observedIn(Digests digests) {
    return md5() ? digests.md5() : digests.sha256();
  }

  private boolean md5() {
    return "MD5".equals(algorithm);
  }
}
