package io.docshift.traffic.ff4j;

import io.docshift.core.config.AutoRevertSettings;
import io.docshift.core.config.WriteMode;
import io.docshift.traffic.TrafficState;
import io.docshift.traffic.control.RevertLatch;
import io.docshift.traffic.control.TrafficControlState;
import io.docshift.traffic.control.TrafficJson;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ff4j.property.Property;
import org.ff4j.property.PropertyBoolean;
import org.ff4j.property.PropertyInt;
import org.ff4j.property.PropertyLong;
import org.ff4j.property.PropertyString;

/**
 * How a {@link TrafficControlState} maps onto ff4j properties: one typed property per dial and rule
 * (so ff4j tooling shows them readably), the latch as one JSON string property ({@code ""} = not
 * tripped), and the resume epoch and revision as longs.
 */
final class TrafficProperties {
  static final String REVISION = "docshift.traffic.revision";
  static final String S3_READ_PERCENT = "docshift.traffic.s3ReadPercent";
  static final String WRITE_MODE = "docshift.traffic.writeMode";
  static final String SHADOW_PERCENT = "docshift.traffic.shadowPercent";
  static final String ENABLED = "docshift.autoRevert.enabled";
  static final String DRY_RUN = "docshift.autoRevert.dryRun";
  static final String WINDOW_SECONDS = "docshift.autoRevert.windowSeconds";
  static final String FAILURE_RATE = "docshift.autoRevert.failureRatePercent";
  static final String MINIMUM_VOLUME = "docshift.autoRevert.minimumVolume";
  static final String P99_MILLIS = "docshift.autoRevert.p99Millis";
  static final String CONSECUTIVE = "docshift.autoRevert.consecutiveFailures";
  static final String LATCH = "docshift.autoRevert.latch";
  static final String RESUME_EPOCH = "docshift.autoRevert.resumeEpoch";

  private TrafficProperties() {}

  /** Every property except the revision, typed, for the state. */
  static Map<String, Property<?>> encode(TrafficControlState state) {
    Map<String, Property<?>> p = new LinkedHashMap<>();
    TrafficState t = state.traffic();
    p.put(S3_READ_PERCENT, new PropertyInt(S3_READ_PERCENT, t.s3ReadPercent()));
    p.put(WRITE_MODE, new PropertyString(WRITE_MODE, t.writeMode().name()));
    p.put(SHADOW_PERCENT, new PropertyInt(SHADOW_PERCENT, t.shadowPercent()));
    AutoRevertSettings a = state.autoRevert();
    p.put(ENABLED, new PropertyBoolean(ENABLED, a.enabled()));
    p.put(DRY_RUN, new PropertyBoolean(DRY_RUN, a.dryRun()));
    p.put(WINDOW_SECONDS, new PropertyInt(WINDOW_SECONDS, (int) a.window().getSeconds()));
    p.put(FAILURE_RATE, new PropertyInt(FAILURE_RATE, a.failureRatePercent()));
    p.put(MINIMUM_VOLUME, new PropertyInt(MINIMUM_VOLUME, a.minimumVolume()));
    p.put(P99_MILLIS, new PropertyLong(P99_MILLIS, a.p99Threshold().toMillis()));
    p.put(CONSECUTIVE, new PropertyInt(CONSECUTIVE, a.consecutiveFailures()));
    String latch = state.trip().map(l -> TrafficJson.text(TrafficJson.write(l))).orElse("");
    p.put(LATCH, new PropertyString(LATCH, latch));
    p.put(RESUME_EPOCH, new PropertyLong(RESUME_EPOCH, state.resumeEpoch()));
    return p;
  }

  /**
   * The state the properties describe.
   *
   * @throws IllegalStateException naming the property that is missing or malformed
   */
  static TrafficControlState decode(Map<String, Property<?>> p) {
    TrafficState traffic =
        new TrafficState(
            integer(p, S3_READ_PERCENT),
            WriteMode.valueOf(text(p, WRITE_MODE)),
            integer(p, SHADOW_PERCENT));
    AutoRevertSettings rules =
        new AutoRevertSettings(
            Boolean.parseBoolean(text(p, ENABLED)),
            Boolean.parseBoolean(text(p, DRY_RUN)),
            Duration.ofSeconds(integer(p, WINDOW_SECONDS)),
            integer(p, FAILURE_RATE),
            integer(p, MINIMUM_VOLUME),
            Duration.ofMillis(number(p, P99_MILLIS)),
            integer(p, CONSECUTIVE));
    String latchJson = text(p, LATCH);
    RevertLatch latch =
        latchJson.isEmpty() ? null : TrafficJson.readLatch(TrafficJson.parse(latchJson));
    return new TrafficControlState(
        traffic, rules, latch, number(p, RESUME_EPOCH), number(p, REVISION));
  }

  static long revision(Map<String, Property<?>> p) {
    return number(p, REVISION);
  }

  private static int integer(Map<String, Property<?>> p, String name) {
    return Math.toIntExact(number(p, name));
  }

  private static long number(Map<String, Property<?>> p, String name) {
    try {
      return Long.parseLong(text(p, name).trim());
    } catch (NumberFormatException e) {
      throw new IllegalStateException("traffic property " + name + ": not a number", e);
    }
  }

  private static String text(Map<String, Property<?>> p, String name) {
    Property<?> property = p.get(name);
    if (property == null) {
      throw new IllegalStateException("traffic property " + name + ": missing");
    }
    String value = property.asString();
    return value == null ? "" : value;
  }
}
