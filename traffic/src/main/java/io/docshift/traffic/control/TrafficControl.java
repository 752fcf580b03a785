package io.docshift.traffic.control;

import static io.docshift.traffic.control.TrafficJson.text;
import static io.docshift.traffic.control.TrafficJson.write;
import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import com.github.benmanes.caffeine.cache.Ticker;
import io.docshift.core.thread.DaemonThreads;
import io.docshift.ledger.AuditLog;
import io.docshift.traffic.TrafficState;
import io.docshift.traffic.TrafficStateSource;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Live traffic control for one instance: reads the shared {@link TrafficStore} through a Caffeine
 * cache (refreshed in the background, never older than {@code maxStaleness}), applies operator
 * changes and resumes with an audit event each, and runs this instance's auto-revert ({@link
 * #guard()}) whose trips flip reads back to Cloudinary here at once and in the store for everyone.
 *
 * <p>As a {@link TrafficStateSource}, {@link #current()} gives the dials requests must obey: never
 * blocks, forced to Cloudinary while the stored state is tripped or this instance tripped and has
 * not yet stored it, and the last known state when the store cannot be read. {@link #set} and
 * {@link #resume} do I/O: call them off the event loop. Build with {@link #builder}; call {@link
 * #startPolling()} so the cache is refreshed even when no request reads it; {@link #close()} stops.
 */
public final class TrafficControl implements TrafficStateSource, AutoCloseable {
  private static final Boolean KEY = Boolean.TRUE;

  private final TrafficStore store;
  private final AuditLog audit;
  private final Duration maxStaleness;
  private final TripHandler trips;
  private final RevertGuard guard;
  private final Ticker ticker;
  private final long refreshNanos;

  /** The last state loaded or stored, with when, on the ticker: one field, so always a pair. */
  private volatile Known lastKnown;

  private final LoadingCache<Boolean, TrafficControlState> cache;
  private final AtomicReference<ScheduledExecutorService> poller = new AtomicReference<>();

  private TrafficControl(Builder b) {
    this.store = b.store;
    this.audit = b.audit;
    this.maxStaleness = b.maxStaleness;
    TrafficControlState first = store.read();
    this.ticker = b.ticker;
    this.refreshNanos = maxStaleness.dividedBy(2).toNanos();
    this.lastKnown = new Known(first, ticker.read());
    this.trips = new TripHandler(store, audit, b.metrics, b.executor);
    this.guard = new RevertGuard(b.clock, trips, first);
    trips.reconcile(first);
    this.cache =
        Caffeine.newBuilder()
            .maximumSize(1)
            .ticker(b.ticker)
            .executor(b.executor)
            .refreshAfterWrite(Duration.ofNanos(refreshNanos))
            .build(unused -> load());
    cache.put(KEY, first);
    trips.onStored(this::accept);
  }

  /**
   * A builder over {@code store}, auditing to {@code audit}. Defaults: system UTC clock, system
   * ticker, 1 s maximum staleness, no metrics, one daemon thread for background work.
   */
  public static Builder builder(TrafficStore store, AuditLog audit) {
    return new Builder(requireNonNull(store, "store"), requireNonNull(audit, "audit"));
  }

  @Override
  public TrafficState current() {
    TrafficState effective = state().effective();
    return trips.pending() ? TrafficControlState.reverted(effective) : effective;
  }

  /** The full cached state (at most {@code maxStaleness} old, or the last known). */
  public TrafficControlState state() {
    // Every request reads the state, several times: while it is fresher than the cache's refresh
    // interval the cache would only hand it back, at the price of its read bookkeeping.
    Known known = lastKnown;
    if (ticker.read() - known.at() < refreshNanos) {
      return known.state();
    }
    try {
      return cache.get(KEY);
    } catch (RuntimeException e) {
      return lastKnown.state();
    }
  }

  /** This instance's auto-revert: feed it classified outcomes of S3 calls. */
  public RevertGuard guard() {
    return guard;
  }

  /**
   * Applies an operator's change and audits it (action {@code traffic.set}, before, after, why).
   *
   * @throws IllegalArgumentException if the change is empty or the reason blank; nothing changed
   * @throws TrafficConflictException if it moves reads or writes while auto-revert is latched
   */
  public TrafficUpdate set(TrafficChange change, String actor, String reason) {
    requireNonNull(change, "change");
    requireNonNull(actor, "actor");
    if (change.isEmpty()) {
      throw new IllegalArgumentException(
          "change: nothing (expected: s3ReadPercent, writeMode, shadowPercent or autoRevert)");
    }
    if (reason == null || reason.isBlank()) {
      throw new IllegalArgumentException("reason: empty (expected: why the change is made)");
    }
    TrafficUpdate update = store.update(s -> checked(change, s));
    audit.append(actor, "traffic.set", text(write(update.before())), auditAfter(update), reason);
    accept(update.after());
    return update;
  }

  private static TrafficControlState checked(TrafficChange change, TrafficControlState s) {
    if (s.tripped() && change.touchesRouting()) {
      throw new TrafficConflictException(
          "auto-revert is latched ("
              + s.latch().reason()
              + "): run `docshift traffic resume` before changing s3ReadPercent or writeMode");
    }
    return change.applyTo(s);
  }

  /**
   * Clears the auto-revert latch, restores the pre-trip S3 read weight and write mode (the shadow
   * share stays as it is now), resets every instance's controller (via the resume epoch) and audits
   * it (action {@code traffic.resume}). Resuming when nothing is tripped still resets the
   * controllers, e.g. to clear dry-run latches.
   *
   * @param reason why, or null
   */
  public TrafficUpdate resume(String actor, String reason) {
    requireNonNull(actor, "actor");
    TrafficUpdate update = store.update(TrafficControlState::resumed);
    trips.clear();
    audit.append(actor, "traffic.resume", text(write(update.before())), auditAfter(update), reason);
    accept(update.after());
    return update;
  }

  /**
   * Reads the store now, updates the cache and this instance's controller, and retries storing a
   * trip that could not be stored yet. The poller calls it; tests call it to skip waiting.
   */
  public TrafficControlState refresh() {
    trips.storePending();
    cache.refresh(KEY).join();
    return state();
  }

  /** Refreshes in the background every half {@code maxStaleness}; idempotent. */
  public TrafficControl startPolling() {
    ScheduledExecutorService started =
        Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("docshift-traffic-poll"));
    if (!poller.compareAndSet(null, started)) {
      started.shutdown();
      return this;
    }
    long periodMillis = Math.max(1, maxStaleness.toMillis() / 2);
    started.scheduleWithFixedDelay(
        this::pollQuietly, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    return this;
  }

  /** Stops polling; the last state keeps being served. */
  @Override
  public void close() {
    ScheduledExecutorService running = poller.getAndSet(null);
    if (running != null) {
      running.shutdownNow();
    }
  }

  private void pollQuietly() {
    try {
      refresh();
    } catch (RuntimeException e) {
      org.slf4j.LoggerFactory.getLogger(TrafficControl.class)
          .warn("traffic state refresh failed; serving the last known state", e);
    }
  }

  private TrafficControlState load() {
    TrafficControlState loaded = store.read();
    reconcile(loaded);
    return loaded;
  }

  private void accept(TrafficControlState stored) {
    reconcile(stored);
    cache.put(KEY, stored);
  }

  private void reconcile(TrafficControlState stored) {
    lastKnown = new Known(stored, ticker.read());
    trips.reconcile(stored);
    guard.reconcile(stored);
  }

  private static String auditAfter(TrafficUpdate update) {
    return text(write(update.after()));
  }

  /** Collects the parts of a {@link TrafficControl}; {@link #build()} reads the store once. */
  public static final class Builder {
    private final TrafficStore store;
    private final AuditLog audit;
    private Clock clock = Clock.systemUTC();
    private Ticker ticker = Ticker.systemTicker();
    private Duration maxStaleness = Duration.ofSeconds(1);
    private RevertMetrics metrics = RevertMetrics.NOOP;
    private Executor executor;

    private Builder(TrafficStore store, AuditLog audit) {
      this.store = store;
      this.audit = audit;
    }

    /** Clock for the auto-revert window and trip times. */
    public Builder clock(Clock value) {
      this.clock = requireNonNull(value, "clock");
      return this;
    }

    /** Ticker for cache freshness. */
    public Builder ticker(Ticker value) {
      this.ticker = requireNonNull(value, "ticker");
      return this;
    }

    /**
     * Oldest cached state served, 2 ms to 1 s (the contract: at most 1 s stale).
     *
     * @throws IllegalArgumentException outside that range
     */
    public Builder maxStaleness(Duration value) {
      requireNonNull(value, "maxStaleness");
      if (value.toMillis() < 2 || value.compareTo(Duration.ofSeconds(1)) > 0) {
        throw new IllegalArgumentException("maxStaleness: " + value + " (expected: 2 ms .. 1 s)");
      }
      this.maxStaleness = value;
      return this;
    }

    /** Where trips and refreshes are reported. */
    public Builder metrics(RevertMetrics value) {
      this.metrics = requireNonNull(value, "metrics");
      return this;
    }

    /** Runs cache refreshes and trip storage; tests pass {@code Runnable::run}. */
    public Builder executor(Executor value) {
      this.executor = requireNonNull(value, "executor");
      return this;
    }

    /**
     * The control, holding the store's current state.
     *
     * @throws RuntimeException whatever the store throws when it cannot be read
     */
    public TrafficControl build() {
      if (executor == null) {
        executor = Executors.newSingleThreadExecutor(DaemonThreads.named("docshift-traffic"));
      }
      return new TrafficControl(this);
    }
  }

  private record Known(TrafficControlState state, long at) {}
}
