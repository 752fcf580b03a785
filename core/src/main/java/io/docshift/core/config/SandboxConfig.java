package io.docshift.core.config;

/**
 * The {@code sandbox.*} section: the local stand-ins {@code docshift sandbox} starts.
 *
 * @param cloudinaryPort Cloudinary emulator port
 * @param s3Port embedded S3 port
 * @param seedCount demo documents seeded into the emulator
 * @param seedProfile size mix of the seeded documents: {@code demo} or {@code backfill-bench}
 */
public record SandboxConfig(int cloudinaryPort, int s3Port, int seedCount, String seedProfile) {}
