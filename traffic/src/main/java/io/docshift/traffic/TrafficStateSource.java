package io.docshift.traffic;

/**
 * Where the request path reads the current {@link TrafficState}. The seam between the proxy and
 * whatever stores the state: in production {@code control.TrafficControl} (ff4j on the shared
 * ledger database, cached); in tests an in-memory one from the testkit.
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
