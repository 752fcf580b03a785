package io.docshift.shadow;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How one {@code docshift verify} walk runs; immutable. Errors read {@code name: value (expected:
 * ...)}.
 *
 * @param deep download and hash both stores' bytes, instead of comparing stored metadata
 * @param repair fix what can be fixed: copy again from Cloudinary, delete tombstoned objects
 * @param concurrency documents checked in parallel
 * @param prefix only public ids starting with this; empty for all
 * @param documentTimeout longest one check (a HEAD, or a whole download when deep) may take
 * @param spoolDir where repairs spool Cloudinary's bytes before the S3 upload
 */
public record VerifyOptions(
    boolean deep,
    boolean repair,
    int concurrency,
    String prefix,
    Duration documentTimeout,
    Path spoolDir) {
  /** Validates every component. */
  public VerifyOptions {
    requireNonNull(prefix, "prefix");
    requireNonNull(documentTimeout, "documentTimeout");
    requireNonNull(spoolDir, "spoolDir");
    if (concurrency < 1 || concurrency > 256) {
      throw new IllegalArgumentException("concurrency: " + concurrency + " (expected: 1..256)");
    }
    if (documentTimeout.isNegative() || documentTimeout.isZero()) {
      throw new IllegalArgumentException(
          "documentTimeout: " + documentTimeout + " (expected: a positive duration)");
    }
  }

  /** Cheap mode, no repair, 8 at a time, every document, 15 min per document, spool in tmp. */
  public static VerifyOptions defaults() {
    return new VerifyOptions(
        false, false, 8, "", Duration.ofMinutes(15), Path.of(System.getProperty("java.io.tmpdir")));
  }

  public VerifyOptions withDeep(boolean value) {
    return new VerifyOptions(value, repair, concurrency, prefix, documentTimeout, spoolDir);
  }

  public VerifyOptions withRepair(boolean value) {
    return new VerifyOptions(deep, value, concurrency, prefix, documentTimeout, spoolDir);
  }

  public VerifyOptions withConcurrency(int value) {
    return new VerifyOptions(deep, repair, value, prefix, documentTimeout, spoolDir);
  }

  public VerifyOptions withPrefix(String value) {
    return new VerifyOptions(deep, repair, concurrency, value, documentTimeout, spoolDir);
  }

  public VerifyOptions withDocumentTimeout(Duration value) {
    return new VerifyOptions(deep, repair, concurrency, prefix, value, spoolDir);
  }

  public VerifyOptions withSpoolDir(Path value) {
    return new VerifyOptions(deep, repair, concurrency, prefix, documentTimeout, value);
  }
}
