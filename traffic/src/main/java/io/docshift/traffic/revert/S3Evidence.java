package io.docshift.traffic.revert;

import io.docshift.core.metrics.FailoverOutcome;
import io.docshift.core.outcome.Outcome;
import java.time.Duration;

/**
 * Where the read and write paths hand what they saw of S3's health to auto-revert, apart from the
 * metrics (which count everything and never decide anything). Three events carry S3's evidence:
 *
 * <ul>
 *   <li>a client request S3 answered ended ({@link #served}): its outcome and latency;
 *   <li>a read of a ledger-verified copy fell back to Cloudinary before S3's first byte ({@link
 *       #fellBack}): the client saw Cloudinary's success while S3 failed;
 *   <li>a body S3 broke off was continued from Cloudinary ({@link #failedOver}).
 * </ul>
 *
 * The implementation judges which of them are S3's fault (the revert guard); callers report every
 * event unfiltered. Called on event loops: implementations must be thread-safe and must not block.
 */
public interface S3Evidence {
  /** Feeds nothing: for paths that are not guarded (tools, tests, background repairs). */
  S3Evidence NONE =
      new S3Evidence() {
        @Override
        public void served(Outcome outcome, Duration latency) {}

        @Override
        public void fellBack(Outcome cause) {}

        @Override
        public void failedOver(Outcome cause, FailoverOutcome outcome) {}
      };

  /**
   * A client request whose verdict names S3 ended.
   *
   * @param outcome the request's classified outcome (a response aborted mid-body carries the body's
   *     failure)
   * @param latency from the request's arrival to its end
   */
  void served(Outcome outcome, Duration latency);

  /**
   * An S3 read failed before its first byte with {@code cause} and Cloudinary served it instead.
   */
  void fellBack(Outcome cause);

  /**
   * An S3 body failed mid-way with {@code cause}; Cloudinary's continuation ended as {@code
   * outcome}.
   */
  void failedOver(Outcome cause, FailoverOutcome outcome);
}
