package io.docshift.testkit;

import static java.util.Objects.requireNonNull;

import io.docshift.core.config.TrafficConfig;
import io.docshift.traffic.TrafficState;
import io.docshift.traffic.TrafficStateSource;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * A {@link TrafficStateSource} held in memory for tests: starts from a given state (or the config's
 * {@code traffic.*} values) and is changed at run time with {@link #set}. Thread-safe; a change is
 * visible to the next request on any thread.
 */
public final class SettableTrafficState implements TrafficStateSource {
  private final AtomicReference<TrafficState> state;

  /** Starts at {@code initial}. */
  public SettableTrafficState(TrafficState initial) {
    this.state = new AtomicReference<>(requireNonNull(initial, "initial"));
  }

  /** Starts at the config's {@code traffic.*} values. */
  public static SettableTrafficState fromConfig(TrafficConfig config) {
    return new SettableTrafficState(TrafficState.of(config));
  }

  @Override
  public TrafficState current() {
    return state.get();
  }

  /** Replaces the state. */
  public void set(TrafficState newState) {
    state.set(requireNonNull(newState, "newState"));
  }

  /** Applies {@code change} atomically and returns the new state. */
  public TrafficState update(UnaryOperator<TrafficState> change) {
    requireNonNull(change, "change");
    return state.updateAndGet(s -> requireNonNull(change.apply(s), "changed state"));
  }
}
