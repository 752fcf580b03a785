package io.docshift.core.config;

/** What a sampled read is shadow-compared against ({@code shadow.mode}). */
public enum ShadowMode {
  /**
   * The other store: a read Cloudinary served is compared with S3 (when the S3 copy is verified), a
   * read S3 served with Cloudinary. Mismatches are recorded, routed away from S3 and repaired.
   */
  AB,
  /**
   * Cloudinary against Cloudinary: every sampled read Cloudinary served is read from Cloudinary a
   * second time and compared, to measure the comparison's own noise before trusting A/B results.
   * Counted in the metrics only; the ledger and routing are never changed.
   */
  AA
}
