package io.docshift.backfill;

import io.docshift.ledger.Documents;
import io.docshift.ledger.LeaseHolder;
import io.docshift.ledger.S3State;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether a run with nothing left to claim should wait for documents other workers hold. A
 * dead worker's leases lapse within one lease period of its last heartbeat, after which this run
 * claims them; a live worker finishing its documents releases them one by one. So the run waits as
 * long as that happens: it gives up only after a whole lease period in which no lease held
 * elsewhere went away and this run claimed nothing (the holders are alive and keep their
 * documents), and then the run ends unfinished, naming them.
 */
final class LeaseWait {
  private static final Logger LOG = LoggerFactory.getLogger(LeaseWait.class);

  private final Documents documents;
  private final String owner;
  private final Duration lease;
  private final Clock clock;
  private long lastHeld = Long.MAX_VALUE;
  private boolean claimedAfterNone;
  private Instant lastProgress;

  LeaseWait(Documents documents, String owner, Duration lease, Clock clock) {
    this.documents = documents;
    this.owner = owner;
    this.lease = lease;
    this.clock = clock;
  }

  /** This run claimed something: the wait starts over. */
  synchronized void progressed() {
    lastProgress = clock.instant();
    claimedAfterNone = false;
  }

  /**
   * @return true to claim again shortly, false when nobody else holds any of {@code states} (and
   *     nobody did at the last call) or the holders kept them a whole lease period
   */
  synchronized boolean worthWaiting(Set<S3State> states) {
    List<LeaseHolder> holders = documents.leaseHolders(owner, states);
    long held = holders.stream().mapToLong(LeaseHolder::documents).sum();
    Instant now = clock.instant();
    if (held == 0) {
      // Leases that lapsed since the last claim are claimable now: claim once more before ending.
      // Also when no holder was ever seen: a lease can lapse between the claim that skipped it and
      // this query, and then the run must take it rather than end with it unclaimed.
      boolean claimAgain = !claimedAfterNone;
      claimedAfterNone = true;
      lastHeld = Long.MAX_VALUE;
      return claimAgain;
    }
    claimedAfterNone = false;
    if (lastProgress == null || held < lastHeld) {
      lastProgress = now;
      LOG.info(
          "waiting for {} documents leased by other workers ({}); a dead worker's lapse by {}",
          held,
          describe(holders),
          holders.stream().map(LeaseHolder::latestExpiry).max(Instant::compareTo).orElse(now));
    }
    lastHeld = held;
    return now.isBefore(lastProgress.plus(lease));
  }

  /** Whether other workers held documents at the last look (else a re-claim need not wait long). */
  synchronized boolean othersHeld() {
    return lastHeld != Long.MAX_VALUE;
  }

  /** {@code owner: count} for each holder. */
  static String describe(List<LeaseHolder> holders) {
    return holders.stream()
        .map(h -> h.owner() + ": " + h.documents())
        .collect(Collectors.joining(", "));
  }
}
