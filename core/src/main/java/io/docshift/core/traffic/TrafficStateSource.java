package io.docshift.core.traffic;

/**
 * Where the request path reads the current {@link TrafficState}. The seam between the proxy and
 * whatever stores the state: today an in-memory {@link SettableTrafficState}; the admin API issue
 * backs it with the shared ledger database (ff4j) behind a {@link CachedTrafficState}.
 *
 * <p>Contract: {@link #current()} is called on event-loop threads for every request, so it must
 * return quickly and never block on I/O; implementations that read a database cache the value (at
 * most 1 s stale) and keep serving the last known state when the database fails.
 */
@FunctionalInterface
public interface TrafficStateSource {
  /** The state in force now; never null. */
  TrafficState current();
}
