package io.docshift.backfill;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What one run did (progress while it runs, the summary when it ends).
 *
 * @param elapsed time since the run started
 * @param listed Admin API entries recorded (or, in a dry run, examined)
 * @param copied documents uploaded and verified
 * @param bytes bytes uploaded
 * @param skippedByReason documents left alone on purpose, per reason ({@code already_in_s3}, ...)
 * @param failedByReason documents not copied, per reason
 * @param mismatches documents uploaded whose MD5 differs from Cloudinary's etag
 * @param remaining documents the ledger still holds for copying (absent, copied or mismatch), or -1
 *     when not counted
 * @param adminCallsRemaining Admin API calls left this hour as far as this process knows
 * @param listingComplete whether every listing reached its last page
 * @param wouldCopy in a dry run, documents that a real run would copy
 * @param wouldCopyBytes in a dry run, their bytes
 * @param fatal a failure that ended the run early (bad credentials, unreachable ledger)
 */
public record BackfillReport(
    Duration elapsed,
    long listed,
    long copied,
    long bytes,
    Map<String, Long> skippedByReason,
    Map<String, Long> failedByReason,
    long mismatches,
    long remaining,
    int adminCallsRemaining,
    boolean listingComplete,
    long wouldCopy,
    long wouldCopyBytes,
    Optional<String> fatal) {

  /** Copies the maps (sorted by reason) and checks for nulls. */
  public BackfillReport {
    requireNonNull(elapsed, "elapsed");
    skippedByReason = Map.copyOf(new TreeMap<>(skippedByReason));
    failedByReason = Map.copyOf(new TreeMap<>(failedByReason));
    requireNonNull(fatal, "fatal");
  }

  /** Documents left alone on purpose. */
  public long skipped() {
    return skippedByReason.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Documents not copied. */
  public long failed() {
    return failedByReason.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Documents handled so far, whatever the outcome. */
  public long processed() {
    return copied + skipped() + failed() + mismatches;
  }

  /** Documents handled per second since the start. */
  public double documentsPerSecond() {
    double seconds = Math.max(elapsed.toMillis(), 1) / 1000.0;
    return processed() / seconds;
  }

  /** Estimated time to finish the remaining documents at the current rate, when known. */
  public Optional<Duration> eta() {
    double rate = documentsPerSecond();
    if (remaining < 0 || rate <= 0) {
      return Optional.empty();
    }
    return Optional.of(Duration.ofSeconds((long) Math.ceil(remaining / rate)));
  }

  /** Whether the run finished with nothing failed, nothing mismatched and no fatal error. */
  public boolean clean() {
    return failed() == 0 && mismatches == 0 && fatal.isEmpty();
  }
}
