package io.docshift.backfill;

import io.docshift.copier.CopyOutcome;
import io.docshift.copier.DocumentCopier;
import io.docshift.core.key.LogIds;
import io.docshift.core.thread.DaemonThreads;
import io.docshift.ledger.DocumentRecord;
import io.docshift.ledger.Documents;
import io.docshift.ledger.LedgerKey;
import io.docshift.ledger.S3State;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds a bounded pool of copy workers from the ledger: claims small batches ({@code FOR UPDATE
 * SKIP LOCKED} leases, so a fleet sharing the ledger never copies a document twice at once) only as
 * workers free up, so the work list stays in the ledger and memory stays flat however large the
 * backlog. Stops when the listing is complete, nothing is in flight and a claim comes back empty,
 * unless other workers still hold documents to copy: then it waits for them ({@link LeaseWait}),
 * claiming what a dead worker's lapsed leases free.
 *
 * <p>A document that failed, was skipped or mismatched keeps (or, when claimed again, takes) a
 * lease for the rest of the run, so the claim loop moves past it, and is remembered by key and
 * version; at the end its lease is released with the reason as the ledger's last error, so a later
 * run (or another worker, after the lease) tries again. A newer version of the same document is
 * copied as soon as it is claimed.
 */
final class Dispatcher {
  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
  private static final Set<S3State> TO_COPY = EnumSet.of(S3State.ABSENT, S3State.MISMATCH);
  private static final Set<S3State> TO_VERIFY = EnumSet.of(S3State.COPIED);
  private static final long IDLE_WAIT_MILLIS = 200;

  private final Documents documents;
  private final DocumentCopier copier;
  private final BackfillOptions options;
  private final Tally tally;
  private final LeaseWait leaseWait;
  private final Pacer pacer;
  private final long othersWaitMillis;
  private final ExecutorService workers;
  private final Semaphore slots;
  private final int claimAtLeast;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Map<String, Held> held = new ConcurrentHashMap<>();
  private final Object signal = new Object();
  private volatile boolean listingDone;
  private volatile boolean stopping;

  Dispatcher(
      Documents documents,
      DocumentCopier copier,
      BackfillOptions options,
      Tally tally,
      LeaseWait leaseWait,
      Pacer pacer) {
    this.documents = documents;
    this.pacer = pacer;
    this.leaseWait = leaseWait;
    // Polling for others' leases more often than they can change (a heartbeat) is wasted work.
    this.othersWaitMillis =
        Math.max(IDLE_WAIT_MILLIS, LeaseHeartbeat.interval(options.lease()).toMillis() / 2);
    this.copier = copier;
    this.options = options;
    this.tally = tally;
    this.workers =
        Executors.newFixedThreadPool(
            options.concurrency(), DaemonThreads.numbered("docshift-backfill"));
    // Two claimed documents per worker: one being copied, one ready, and no more leased than that.
    this.slots = new Semaphore(options.concurrency() * 2);
    this.claimAtLeast = Math.min(options.concurrency(), options.batchSize());
  }

  void listingDone() {
    listingDone = true;
    wake();
  }

  void wake() {
    synchronized (signal) {
      signal.notifyAll();
    }
  }

  /**
   * Claims and copies until done or stopped; then waits for the workers. {@code copied} rows (left
   * between copy and verification by a crashed run) are swept only once everything else is done:
   * during the run such a row is usually one of this run's own, between its two transitions.
   */
  void run() throws InterruptedException {
    drain(TO_COPY);
    drain(TO_VERIFY);
    workers.shutdown();
    while (!workers.awaitTermination(1, TimeUnit.SECONDS)) {
      LOG.info("waiting for {} copies in flight", inFlight.get());
    }
  }

  private void drain(Set<S3State> states) throws InterruptedException {
    while (!stopping) {
      boolean idle = listingDone && inFlight.get() == 0;
      int permits = takeSlots();
      List<DocumentRecord> claimed =
          documents.claimBatch(options.workerId(), options.lease(), permits, states);
      int submitted = submit(claimed);
      slots.release(permits - submitted);
      if (submitted > 0) {
        leaseWait.progressed();
      }
      boolean waitingForOthers = claimed.isEmpty() && idle;
      if (waitingForOthers && !leaseWait.worthWaiting(states)) {
        return;
      }
      if (submitted == 0 && claimed.size() < permits) {
        synchronized (signal) {
          signal.wait(
              waitingForOthers && leaseWait.othersHeld() ? othersWaitMillis : IDLE_WAIT_MILLIS);
        }
      }
    }
  }

  /**
   * Waits until a claim is worth its round trip to the ledger: {@code claimAtLeast} free slots (as
   * many as there are workers, so the claim refills the whole ready queue while every worker is
   * still busy), or any free slot when nothing is in flight. Claiming one document per finished
   * copy would cost a ledger transaction per document.
   */
  private int takeSlots() throws InterruptedException {
    int wanted = inFlight.get() == 0 ? 1 : claimAtLeast;
    slots.acquire(wanted);
    int permits = wanted + slots.drainPermits();
    int limit = Math.min(permits, options.batchSize());
    slots.release(permits - limit);
    return limit;
  }

  private int submit(List<DocumentRecord> claimed) {
    int submitted = 0;
    for (DocumentRecord row : claimed) {
      if (held.containsKey(id(row))) {
        continue; // failed or skipped earlier in this run: keep the lease, do not retry now
      }
      inFlight.incrementAndGet();
      workers.execute(() -> copy(row));
      submitted++;
    }
    return submitted;
  }

  private void copy(DocumentRecord row) {
    try {
      pacer.beforeCopy(row.asset().bytes());
      try {
        finish(row, copier.copy(row));
      } finally {
        pacer.afterCopy();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // stopping hard: leave the lease to expire
    } catch (RuntimeException e) {
      finish(row, CopyOutcome.failed("local_error", row.key() + ": " + e));
    } finally {
      inFlight.decrementAndGet();
      slots.release();
      wake();
    }
  }

  private void finish(DocumentRecord row, CopyOutcome outcome) {
    tally.record(outcome);
    if (outcome.kind() != CopyOutcome.Kind.COPIED) {
      // The detail quotes the store's error, which names the document: hashed, as the id is.
      LOG.warn(
          "{} {} {}: {}",
          LogIds.of(row.key()),
          outcome.kind(),
          outcome.reason(),
          LogIds.redact(outcome.detail(), row.key().publicId()));
    }
    if (outcome.kind() == CopyOutcome.Kind.COPIED) {
      return;
    }
    if (CopyOutcome.STALE.equals(outcome.reason())) {
      documents.releaseLease(row.key(), options.workerId(), outcome.detail());
      return;
    }
    // Failed, skipped and mismatched documents are not tried again in this run; a later claim of
    // one (a mismatch row is claimable at once) is kept leased and released at the end.
    held.put(id(row), new Held(row.key(), outcome.reason() + ": " + outcome.detail()));
  }

  /** Graceful stop: no new claims; copies in flight finish. */
  void stop() {
    stopping = true;
    wake();
  }

  /** Ends the leases this run kept on failed and skipped documents, recording why. */
  void releaseHeld() {
    for (Held h : held.values()) {
      documents.releaseLease(h.key(), options.workerId(), h.reason());
    }
    held.clear();
  }

  private static String id(DocumentRecord row) {
    return row.key() + "@" + row.asset().version();
  }

  private record Held(LedgerKey key, String reason) {}
}
