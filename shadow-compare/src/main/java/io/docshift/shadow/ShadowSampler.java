package io.docshift.shadow;

import io.docshift.core.key.DocumentKey;

/**
 * Which reads are shadow-compared: a document is sampled iff its shadow bucket, MurmurHash3 x86_32
 * of the same {@code {cloud}/{resource_type}/{type}/{public_id}} as the routing bucket but with
 * seed {@link #SEED}, modulo 100, is below the live {@code shadowPercent}. Deterministic (the same
 * documents every time, in every instance, across restarts), monotone (raising the percentage only
 * adds documents) and independent of the routing bucket, so the sample covers documents on both
 * sides of the S3 read weight in proportion.
 */
final class ShadowSampler {
  /** Any seed but the routing bucket's 0; fixed, so the sample never moves. */
  static final int SEED = 0x5AD0_0001;

  private ShadowSampler() {}

  static int bucket(DocumentKey key) {
    return key.bucket(SEED);
  }

  static boolean sampled(DocumentKey key, int shadowPercent) {
    return shadowPercent > 0 && bucket(key) < shadowPercent;
  }
}
