package io.docshift.backfill;

import static java.util.Objects.requireNonNull;

import io.docshift.core.config.CloudinaryAccount;
import io.docshift.core.retry.Backoff;
import io.docshift.core.retry.Sleeper;
import io.docshift.ledger.CloudinaryAsset;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * What Cloudinary itself holds, listed through the Admin API for readers other than the backfill
 * ({@code docshift verify --enumerate}): every {@code resource_type} × {@code type} ({@link
 * Enumerator#RESOURCE_TYPES}, {@link Enumerator#TYPES}), page by page, each entry as the {@link
 * CloudinaryAsset} the ledger would record. Nothing is written to the ledger and no checkpoint is
 * kept: a listing starts from the beginning every time.
 *
 * <p>Same pacing as the backfill: calls wait for the {@link AdminBudget} (DocShift's hourly budget
 * and what Cloudinary's rate-limit headers report), 420/429 wait for the reset, 5xx and connection
 * failures are retried with backoff and jitter; anything else is thrown. Not thread-safe: one walk
 * at a time.
 */
public final class CloudinaryListing {
  private static final int PAGE_SIZE = 500;
  private static final int MAX_ATTEMPTS = 5;

  private final AdminApi api;
  private final AdminBudget budget;
  private final Backoff backoff;
  private final Sleeper sleeper;
  private final String cloud;

  private CloudinaryListing(
      CloudinaryAccount account,
      int adminCallsPerHour,
      Clock clock,
      Sleeper sleeper,
      RandomGenerator random) {
    this.api = AdminApi.create(account);
    this.budget = new AdminBudget(adminCallsPerHour, clock, sleeper);
    this.backoff = Backoff.halfJitter(Duration.ofMillis(500), Duration.ofSeconds(30), random);
    this.sleeper = sleeper;
    this.cloud = account.cloudName();
  }

  /** Receives the listing one entry at a time; returns false to stop it. */
  @FunctionalInterface
  public interface Sink {
    boolean accept(CloudinaryAsset asset) throws InterruptedException;
  }

  /**
   * Receives the listing one entry at a time, with whether Cloudinary lists it as access-controlled
   * ({@code access_mode: authenticated}); returns false to stop it.
   */
  @FunctionalInterface
  public interface AccessSink {
    boolean accept(CloudinaryAsset asset, boolean accessControlled) throws InterruptedException;
  }

  /**
   * A listing of {@code account} within {@code adminCallsPerHour} (e.g. {@code
   * backfill.adminCallsPerHour}).
   *
   * @throws IllegalArgumentException if {@code adminCallsPerHour < 1}
   */
  public static CloudinaryListing create(CloudinaryAccount account, int adminCallsPerHour) {
    return create(
        account,
        adminCallsPerHour,
        Clock.systemUTC(),
        Sleeper.system(),
        RandomGenerator.getDefault());
  }

  /**
   * Like {@link #create(CloudinaryAccount, int)}, with the budget's clock (Cloudinary's hourly
   * windows), the way waits happen (budget resets, retry backoff) and the retry jitter injected.
   */
  public static CloudinaryListing create(
      CloudinaryAccount account,
      int adminCallsPerHour,
      Clock clock,
      Sleeper sleeper,
      RandomGenerator random) {
    requireNonNull(account, "account");
    requireNonNull(clock, "clock");
    requireNonNull(sleeper, "sleeper");
    requireNonNull(random, "random");
    return new CloudinaryListing(account, adminCallsPerHour, clock, sleeper, random);
  }

  /**
   * Lists every asset whose public id starts with {@code prefix}, until the end or until {@code
   * sink} says stop.
   *
   * @throws IOException when a call failed for good (bad credentials, unknown cloud) or stayed
   *     unreachable through every retry
   */
  public void forEach(String prefix, Sink sink) throws IOException, InterruptedException {
    requireNonNull(sink, "sink");
    forEachWithAccess(prefix, (asset, accessControlled) -> sink.accept(asset));
  }

  /** {@link #forEach(String, Sink)} with each entry's access mode. */
  public void forEachWithAccess(String prefix, AccessSink sink)
      throws IOException, InterruptedException {
    requireNonNull(prefix, "prefix");
    requireNonNull(sink, "sink");
    for (String resourceType : Enumerator.RESOURCE_TYPES) {
      for (String type : Enumerator.TYPES) {
        if (!list(resourceType, type, prefix, sink)) {
          return;
        }
      }
    }
  }

  private boolean list(String resourceType, String type, String prefix, AccessSink sink)
      throws IOException, InterruptedException {
    String cursor = null;
    do {
      ResourcePage page = fetch(resourceType, type, prefix, cursor);
      for (ListedResource resource : page.resources()) {
        if (!sink.accept(resource.asset(cloud), AccessControlled.applies(resource))) {
          return false;
        }
      }
      cursor = page.nextCursor().orElse(null);
    } while (cursor != null);
    return true;
  }

  private ResourcePage fetch(String resourceType, String type, String prefix, String cursor)
      throws IOException, InterruptedException {
    for (int attempt = 1; ; attempt++) {
      budget.acquire();
      try {
        ResourcePage page = api.list(resourceType, type, prefix, cursor, PAGE_SIZE);
        budget.observe(page.rateLimit());
        return page;
      } catch (AdminApiException e) {
        budget.observe(e.rateLimit());
        if (e.throttled()) {
          budget.throttled(e.rateLimit());
          attempt = 0; // waiting for the reset is not a failed attempt
          continue;
        }
        if (!e.transientFailure() || attempt >= MAX_ATTEMPTS) {
          throw new IOException(
              "Cloudinary listing of " + resourceType + "/" + type + ": " + e.getMessage(), e);
        }
      } catch (IOException e) {
        if (attempt >= MAX_ATTEMPTS) {
          throw e;
        }
      }
      sleeper.sleep(backoff.delayAfter(attempt));
    }
  }

  /** Admin API calls left in this hour, as far as DocShift knows. */
  public int adminCallsRemaining() {
    return budget.remaining();
  }
}
