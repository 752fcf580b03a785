package io.docshift.traffic.control;

import static java.util.Objects.requireNonNull;

import io.docshift.core.config.AutoRevertSettings;
import io.docshift.core.config.WriteMode;
import io.docshift.traffic.TrafficState;
import java.util.Optional;

/**
 * Everything operators control, as kept in the shared store: the dials ({@link TrafficState}), the
 * auto-revert rules, the latch a trip leaves, and two counters. Immutable; a change is a new
 * instance.
 *
 * @param traffic the dials as stored; while tripped they already hold the reverted values
 * @param autoRevert the rules every instance's controller applies, including enabled and dry run
 * @param latch the latched trip, or null when not tripped
 * @param resumeEpoch bumped by every resume; an instance that sees it change resets its controller
 * @param revision bumped by every stored change; 0 only before the store was first seeded
 */
public record TrafficControlState(
    TrafficState traffic,
    AutoRevertSettings autoRevert,
    RevertLatch latch,
    long resumeEpoch,
    long revision) {

  /** Checks that the parts are present and the counters are not negative. */
  public TrafficControlState {
    requireNonNull(traffic, "traffic");
    requireNonNull(autoRevert, "autoRevert");
    if (resumeEpoch < 0 || revision < 0) {
      throw new IllegalArgumentException(
          "resumeEpoch/revision: " + resumeEpoch + "/" + revision + " (expected: 0 or more)");
    }
  }

  /** A never-tripped state at revision 0, e.g. the config's initial values. */
  public static TrafficControlState initial(TrafficState traffic, AutoRevertSettings autoRevert) {
    return new TrafficControlState(traffic, autoRevert, null, 0, 0);
  }

  /** Whether auto-revert has tripped and an operator has not resumed yet. */
  public boolean tripped() {
    return latch != null;
  }

  /** The latched trip, if any. */
  public Optional<RevertLatch> trip() {
    return Optional.ofNullable(latch);
  }

  /**
   * The dials requests must obey: the stored ones, forced back to Cloudinary while tripped (so even
   * a hand-edited store cannot route to S3 during a revert).
   */
  public TrafficState effective() {
    return tripped() ? reverted(traffic) : traffic;
  }

  /** {@code state} with reads off S3 and S3-primary writes back to Cloudinary-primary. */
  public static TrafficState reverted(TrafficState state) {
    WriteMode mode =
        state.writeMode() == WriteMode.DUAL_S3_PRIMARY
            ? WriteMode.DUAL_CLOUDINARY_PRIMARY
            : state.writeMode();
    return new TrafficState(0, mode, state.shadowPercent());
  }

  TrafficControlState withTraffic(TrafficState newTraffic) {
    return new TrafficControlState(newTraffic, autoRevert, latch, resumeEpoch, revision);
  }

  TrafficControlState withAutoRevert(AutoRevertSettings settings) {
    return new TrafficControlState(traffic, settings, latch, resumeEpoch, revision);
  }

  TrafficControlState withLatch(RevertLatch newLatch) {
    return new TrafficControlState(traffic, autoRevert, newLatch, resumeEpoch, revision);
  }

  TrafficControlState resumed() {
    TrafficState restored = latch == null ? traffic : latch.preTrip();
    TrafficState keepShadow =
        new TrafficState(restored.s3ReadPercent(), restored.writeMode(), traffic.shadowPercent());
    return new TrafficControlState(keepShadow, autoRevert, null, resumeEpoch + 1, revision);
  }

  /** This state as stored at {@code newRevision}. */
  public TrafficControlState withRevision(long newRevision) {
    return new TrafficControlState(traffic, autoRevert, latch, resumeEpoch, newRevision);
  }
}
