package io.docshift.traffic.control;

import java.util.function.UnaryOperator;

/**
 * Where the shared {@link TrafficControlState} lives; every instance of a fleet reads and writes
 * the same one. The production store is {@code io.docshift.traffic.ff4j.Ff4jTrafficStore} on the
 * ledger database.
 *
 * <p>Both methods do I/O: never call them on an event loop. Implementations throw an unchecked
 * exception when the store cannot be reached.
 */
public interface TrafficStore {
  /** The stored state, read now. */
  TrafficControlState read();

  /**
   * Applies {@code change} to the latest stored state and stores the result, atomically with
   * respect to every other writer of the same store. When {@code change} throws, nothing is written
   * and the exception propagates; when it returns an equal state, nothing is written. The store
   * sets the revision.
   */
  TrafficUpdate update(UnaryOperator<TrafficControlState> change);
}
