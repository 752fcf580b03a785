package io.docshift.backfill;

import io.docshift.core.retry.Backoff;
import io.docshift.core.retry.Sleeper;
import io.docshift.ledger.Checkpoint;
import io.docshift.ledger.CheckpointKey;
import io.docshift.ledger.DocumentRecord;
import io.docshift.ledger.Documents;
import io.docshift.ledger.Ledger;
import io.docshift.ledger.S3State;
import io.docshift.ledger.UpsertOrigin;
import io.docshift.ledger.UpsertResult;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Lists every {@code resource_type} × {@code type} through the Admin API, page by page (up to 500
 * entries, {@code next_cursor}), and upserts each entry into the ledger as a {@link
 * UpsertOrigin#LISTING} (which never downgrades a version nor revives a tombstone). After each page
 * is in the ledger its cursor is checkpointed, so a restart repeats at most one page and a
 * completed listing is skipped. A dry run writes nothing and only counts what would be copied.
 *
 * <p>Each call first waits for the {@link AdminBudget}; 420/429 wait for the reset; 5xx and
 * connection failures retry with backoff; other errors (bad credentials) are fatal and thrown.
 */
final class Enumerator {
  static final List<String> RESOURCE_TYPES = List.of("image", "video", "raw");
  static final List<String> TYPES = List.of("upload", "private", "authenticated");

  private final AdminApi api;
  private final AdminBudget budget;
  private final Ledger ledger;
  private final String cloud;
  private final BackfillOptions options;
  private final Backoff backoff;
  private final Sleeper sleeper;
  private final Tally tally;
  private final BackfillMetrics metrics;
  private final AccessControlled accessControlled;
  private final ListingStatistics statistics;
  private final Runnable onPage;
  private final BooleanSupplier stopped;

  Enumerator(Wiring wiring, Runnable onPage, BooleanSupplier stopped) {
    this.api = wiring.api();
    this.budget = wiring.budget();
    this.ledger = wiring.ledger();
    this.cloud = wiring.cloud();
    this.options = wiring.options();
    this.backoff = wiring.backoff();
    this.sleeper = wiring.sleeper();
    this.tally = wiring.tally();
    this.metrics = wiring.metrics();
    this.accessControlled = wiring.accessControlled();
    this.statistics = wiring.statistics();
    this.onPage = onPage;
    this.stopped = stopped;
  }

  /** What the enumerator needs, gathered by {@link Backfill}. */
  record Wiring(
      AdminApi api,
      AdminBudget budget,
      Ledger ledger,
      String cloud,
      BackfillOptions options,
      Backoff backoff,
      Sleeper sleeper,
      Tally tally,
      BackfillMetrics metrics,
      AccessControlled accessControlled,
      ListingStatistics statistics) {}

  /**
   * Lists everything not yet listed.
   *
   * @return true when every listing reached its last page, false when stopped first
   * @throws AdminApiException for a permanent Admin API error
   * @throws IOException when the Admin API stayed unreachable through every retry
   */
  boolean run() throws AdminApiException, IOException, InterruptedException {
    for (String resourceType : RESOURCE_TYPES) {
      for (String type : TYPES) {
        if (!list(new CheckpointKey(cloud, resourceType, type, options.prefix()))) {
          return false;
        }
      }
    }
    return true;
  }

  private boolean list(CheckpointKey key)
      throws AdminApiException, IOException, InterruptedException {
    Optional<Checkpoint> checkpoint = options.dryRun() ? Optional.empty() : startingPoint(key);
    if (checkpoint.isPresent() && checkpoint.get().completed()) {
      return true;
    }
    String cursor = checkpoint.map(Checkpoint::cursor).orElse(null);
    do {
      if (stopped.getAsBoolean()) {
        return false;
      }
      ResourcePage page = fetch(key, cursor);
      record(page);
      cursor = page.nextCursor().orElse(null);
      if (!options.dryRun()) {
        ledger.checkpoints().put(key, cursor, cursor == null);
      }
      onPage.run();
    } while (cursor != null);
    return true;
  }

  private Optional<Checkpoint> startingPoint(CheckpointKey key) {
    if (options.relist()) {
      return Optional.empty();
    }
    return ledger.checkpoints().get(key);
  }

  private void record(ResourcePage page) throws InterruptedException {
    Documents documents = ledger.documents();
    // Access-controlled assets are never copied: S3 would serve them to anyone.
    List<ListedResource> open =
        page.resources().stream().filter(r -> !AccessControlled.applies(r)).toList();
    if (options.dryRun()) {
      for (ListedResource resource : open) {
        Optional<DocumentRecord> row = documents.find(resource.asset(cloud).key());
        if (wouldCopy(row, resource)) {
          tally.wouldCopy(resource.bytes());
        }
      }
    } else {
      // One ledger transaction per page, not per document.
      List<UpsertResult> results =
          documents.upsertAll(
              open.stream().map(r -> r.asset(cloud)).toList(), UpsertOrigin.LISTING);
      statistics.inserted(results.stream().filter(r -> r == UpsertResult.INSERTED).count());
      for (ListedResource resource : page.resources()) {
        if (AccessControlled.applies(resource)) {
          accessControlled.handle(resource.asset(cloud));
        }
      }
    }
    tally.listed(page.resources().size());
  }

  private static boolean wouldCopy(Optional<DocumentRecord> row, ListedResource resource) {
    if (row.isEmpty()) {
      return true;
    }
    S3State state = row.get().state();
    long known = row.get().asset().version();
    return state != S3State.DELETED && (state != S3State.VERIFIED || known < resource.version());
  }

  private ResourcePage fetch(CheckpointKey key, String cursor)
      throws AdminApiException, IOException, InterruptedException {
    for (int attempt = 1; ; attempt++) {
      budget.acquire();
      try {
        ResourcePage page =
            api.list(key.resourceType(), key.type(), key.prefix(), cursor, options.pageSize());
        called("ok", page.rateLimit());
        return page;
      } catch (AdminApiException e) {
        called(e.throttled() ? "throttled" : "error", e.rateLimit());
        if (e.throttled()) {
          budget.throttled(e.rateLimit());
          attempt = 0; // waiting for the reset is not a failed attempt
          continue;
        }
        if (!e.transientFailure() || attempt >= options.maxAttempts()) {
          throw e;
        }
      } catch (IOException e) {
        metrics.adminCall("error");
        if (attempt >= options.maxAttempts()) {
          throw e;
        }
      }
      sleeper.sleep(backoff.delayAfter(attempt));
    }
  }

  private void called(String outcome, RateLimit rateLimit) {
    budget.observe(rateLimit);
    metrics.adminCall(outcome);
    metrics.adminBudgetRemaining(budget.remaining());
  }
}
