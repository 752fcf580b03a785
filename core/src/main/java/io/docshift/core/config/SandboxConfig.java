package io.docshift.core.config;

/**
 * The {@code sandbox.*} section: the local stand-ins {@code docshift sandbox} starts.
 *
 * @param cloudinaryPort Cloudinary emulator port
 * @param s3Port embedded S3 port
 * @param seedCount demo documents seeded into the emulator
 * @param seedProfile size mix of the seeded documents: {@code demo} or {@code backfill-bench}
 * @param bulkDeletePageSize originals one Admin API delete by prefix, tag or {@code all} deletes in
 *     the emulator before it answers {@code partial} with a {@code next_cursor} (Cloudinary: 1000)
 */
public record SandboxConfig(
    int cloudinaryPort, int s3Port, int seedCount, String seedProfile, int bulkDeletePageSize) {
  /** Cloudinary's page of a bulk delete, the emulator's default. */
  public static final int CLOUDINARY_DELETE_PAGE = 1000;

  /** The section with Cloudinary's bulk delete page. */
  public SandboxConfig(int cloudinaryPort, int s3Port, int seedCount, String seedProfile) {
    this(cloudinaryPort, s3Port, seedCount, seedProfile, CLOUDINARY_DELETE_PAGE);
  }
}
