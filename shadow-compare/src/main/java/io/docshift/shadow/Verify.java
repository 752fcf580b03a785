package io.docshift.shadow;

import static java.util.Objects.requireNonNull;

import io.docshift.copier.DocumentCopier;
import io.docshift.core.key.DocumentKey;
import io.docshift.core.store.DocumentStore;
import io.docshift.core.thread.DaemonThreads;
import io.docshift.ledger.Ledger;
import io.docshift.stores.s3.S3Inventory;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code docshift verify} walk: proves, document by document, that S3 holds what Cloudinary
 * holds, without trusting the ledger's word for it.
 *
 * <ol>
 *   <li>Every document of the {@link Inventory} (the ledger, or Cloudinary's own listing) is
 *       checked against S3 ({@link DocumentCheck}: stored metadata, or with {@code deep} both
 *       stores' bytes), {@code concurrency} at a time.
 *   <li>DocShift's part of the bucket is listed; objects nobody expected are reported ({@link
 *       ExtrasWalk}).
 *   <li>A difference on a document the ledger believed copied marks it {@code mismatch} (S3 stops
 *       serving it) with a sample; with {@code repair}, it is copied again or, for a tombstone,
 *       deleted ({@link FindingSettlement}).
 * </ol>
 *
 * Every finding goes to the listener as it is made (thread-safe listener required). The ledger and
 * stores are the caller's and stay open. {@link #run()} blocks; {@link #progress()} and {@link
 * #stop()} may be called from other threads meanwhile. Single use.
 */
public final class Verify {
  private static final Logger LOG = LoggerFactory.getLogger(Verify.class);

  private final VerifyOptions options;
  private final Ledger ledger;
  private final Inventory inventory;
  private final S3Inventory bucket;
  private final String cloud;
  private final Consumer<Finding> listener;
  private final boolean documentsOnly;
  private final VerifyTally tally = new VerifyTally();
  private final SeenKeys seen = new SeenKeys();
  private final ScheduledExecutorService timer;
  private final DocumentCheck check;
  private final FindingSettlement settlement;
  private volatile boolean stopped;
  private volatile boolean walkedAll;
  private volatile String fatal;

  private Verify(Builder b) {
    this.options = b.options;
    this.ledger = b.ledger;
    this.inventory = b.inventory;
    this.bucket = b.bucket;
    this.cloud = b.cloud;
    this.listener = b.listener;
    this.documentsOnly = b.documentsOnly;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("docshift-verify-timer"));
    this.check = new DocumentCheck(bucket, b.cloudinary, b.s3, options, timer);
    Recopy recopy =
        new Recopy(
            ledger.documents(), b.cloudinary, b.s3, options.documentTimeout(), options.spoolDir());
    this.settlement = new FindingSettlement(new VerifyMarks(ledger), recopy, options.repair());
  }

  /**
   * A walk over these parts.
   *
   * @param cloud the Cloudinary cloud name (DocShift's keys live under {@code {keyPrefix}{cloud}/})
   * @param bucket lists and inspects the bucket of {@code s3}
   */
  public static Builder builder(
      VerifyOptions options,
      Ledger ledger,
      Inventory inventory,
      DocumentStore cloudinary,
      DocumentStore s3,
      S3Inventory bucket,
      String cloud) {
    Builder b = new Builder();
    b.options = requireNonNull(options, "options");
    b.ledger = requireNonNull(ledger, "ledger");
    b.inventory = requireNonNull(inventory, "inventory");
    b.cloudinary = requireNonNull(cloudinary, "cloudinary");
    b.s3 = requireNonNull(s3, "s3");
    b.bucket = requireNonNull(bucket, "bucket");
    b.cloud = requireNonNull(cloud, "cloud");
    return b;
  }

  /**
   * Walks everything, or until {@link #stop()} or a failure of the inventory or the S3 listing.
   *
   * @return the final counts; {@link VerifyReport#complete()} says whether everything was checked
   */
  public VerifyReport run() throws InterruptedException {
    ExecutorService workers =
        Executors.newFixedThreadPool(options.concurrency(), DaemonThreads.named("docshift-verify"));
    try {
      boolean inventoryDone = walkInventory(workers);
      walkedAll = inventoryDone && (documentsOnly || walkExtras());
    } catch (IOException | RuntimeException e) {
      fatal = e.getMessage() == null ? e.toString() : e.getMessage();
      LOG.warn("verify stopped: {}", fatal, e);
    } finally {
      workers.shutdownNow();
      timer.shutdownNow();
    }
    return progress();
  }

  private boolean walkInventory(ExecutorService workers) throws IOException, InterruptedException {
    int slots = options.concurrency() * 2;
    Semaphore free = new Semaphore(slots);
    inventory.forEach(
        expected -> {
          if (stopped) {
            return false;
          }
          free.acquire();
          try {
            workers.execute(
                () -> {
                  try {
                    handle(expected);
                  } finally {
                    free.release();
                  }
                });
          } catch (RuntimeException e) {
            free.release();
            throw e;
          }
          return true;
        });
    free.acquire(slots); // every check finished
    free.release(slots);
    return !stopped;
  }

  private void handle(Expected expected) {
    DocumentKey key;
    String s3Key;
    try {
      key = DocumentCopier.documentKey(expected.asset());
      s3Key = key.s3Key(bucket.keyPrefix());
    } catch (IllegalArgumentException e) {
      report(DocumentCheck.finding(FindingKind.ERROR, expected, "", e.getMessage()));
      return;
    }
    seen.add(s3Key);
    try {
      Checked checked = check.check(expected, key, s3Key);
      tally.checked();
      if (checked.finding().isPresent()) {
        report(settlement.settle(checked, checked.finding().get()));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      tally.checked();
      report(DocumentCheck.finding(FindingKind.ERROR, expected, s3Key, e.getMessage()));
    }
  }

  private boolean walkExtras() throws InterruptedException {
    seen.freeze();
    ExtrasWalk walk =
        new ExtrasWalk(
            bucket, ledger.documents(), cloud, options.prefix(), options.documentTimeout());
    return walk.run(seen, this::extra, tally::listed, () -> stopped);
  }

  private void extra(ExtrasWalk.Extra extra) {
    try {
      report(settlement.extra(extra));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void report(Finding finding) {
    tally.found(finding);
    listener.accept(finding);
  }

  /** The walk so far. */
  public VerifyReport progress() {
    return tally.report(walkedAll, Optional.ofNullable(fatal));
  }

  /** Asks the walk to end soon: no new documents; checks in flight finish. Idempotent. */
  public void stop() {
    stopped = true;
  }

  /** Builds a {@link Verify}. */
  public static final class Builder {
    // Set once by builder(...), the one place the required parts are named.
    private VerifyOptions options;
    private Ledger ledger;
    private Inventory inventory;
    private DocumentStore cloudinary;
    private DocumentStore s3;
    private S3Inventory bucket;
    private String cloud;
    private Consumer<Finding> listener = finding -> {};
    private boolean documentsOnly;

    private Builder() {}

    /** Told about every finding as it is made, from worker threads (must be thread-safe). */
    public Builder onFinding(Consumer<Finding> value) {
      this.listener = requireNonNull(value, "listener");
      return this;
    }

    /**
     * Checks the inventory's documents only, without listing the bucket for objects nobody
     * expected: for checking a few named documents, where a walk of the whole bucket would cost far
     * more than the check itself.
     */
    public Builder documentsOnly() {
      this.documentsOnly = true;
      return this;
    }

    public Verify build() {
      return new Verify(this);
    }
  }
}
