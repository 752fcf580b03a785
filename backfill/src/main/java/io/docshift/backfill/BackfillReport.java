package io.docshift.backfill;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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
 * @param stopped whether the run was asked to stop ({@code Ctrl-C}) before the end
 * @param leasesTakenBack leases of this worker's previous (dead) process that the run took back
 * @param leasedElsewhere at the end: documents left to copy that other workers still held (their
 *     leases renewed throughout the run's last lease period), by worker; empty while running
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
    Optional<String> fatal,
    boolean stopped,
    long leasesTakenBack,
    Map<String, Long> leasedElsewhere) {

  /** Copies the maps (sorted by reason) and checks for nulls. */
  public BackfillReport {
    requireNonNull(elapsed, "elapsed");
    skippedByReason = Map.copyOf(new TreeMap<>(skippedByReason));
    failedByReason = Map.copyOf(new TreeMap<>(failedByReason));
    requireNonNull(fatal, "fatal");
    leasedElsewhere = Collections.unmodifiableMap(new TreeMap<>(leasedElsewhere));
  }

  /** How a run ended, beyond its counters. */
  record Ending(
      boolean listingComplete,
      boolean stopped,
      long leasesTakenBack,
      Map<String, Long> leasedElsewhere,
      Optional<String> fatal) {}

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

  /** Documents left to copy that other workers still held at the end. */
  public long leasedElsewhereCount() {
    return leasedElsewhere.values().stream().mapToLong(Long::longValue).sum();
  }

  /**
   * Whether the work is done: {@link #clean()}, not stopped, and nothing left to copy in the ledger
   * (every document verified, deleted, or never to be copied).
   */
  public boolean finished() {
    return clean() && !stopped && remaining == 0;
  }

  /** Why the run is not {@link #finished()}, one line per reason; empty when it is. */
  public List<String> whyUnfinished() {
    List<String> why = new ArrayList<>();
    fatal.ifPresent(f -> why.add("the run stopped: " + f));
    if (stopped) {
      why.add("the run was stopped before the end; run it again to continue");
    }
    if (failed() > 0) {
      why.add(failed() + " documents failed (" + reasons(failedByReason) + "); run again to retry");
    }
    if (mismatches > 0) {
      why.add(mismatches + " documents in S3 differ from Cloudinary's MD5 (state mismatch)");
    }
    if (leasedElsewhereCount() > 0) {
      why.add(
          leasedElsewhereCount()
              + " documents are held by other workers that kept renewing their leases ("
              + reasons(leasedElsewhere)
              + "); they finish them, or run again once they have stopped");
    }
    if (remaining != 0 && why.isEmpty()) {
      why.add(
          remaining < 0
              ? "the ledger could not be counted"
              : remaining
                  + " documents are still to copy (written or changed meanwhile, or skipped"
                  + " above); run again");
    }
    return why;
  }

  private static String reasons(Map<String, Long> counts) {
    StringBuilder text = new StringBuilder();
    counts.forEach(
        (k, v) -> text.append(text.length() == 0 ? "" : ", ").append(k).append(": ").append(v));
    return text.toString();
  }
}
