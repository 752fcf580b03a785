package io.docshift.traffic.control;

import static java.util.Objects.requireNonNull;

/**
 * One stored change of the traffic state: what it was and what it became.
 *
 * @param before the state the change was applied to
 * @param after the state stored; equal to {@code before} when nothing needed writing
 */
public record TrafficUpdate(TrafficControlState before, TrafficControlState after) {

  /** Checks that both states are present. */
  public TrafficUpdate {
    requireNonNull(before, "before");
    requireNonNull(after, "after");
  }

  /** Whether anything was written. */
  public boolean changed() {
    return after.revision() != before.revision();
  }
}
