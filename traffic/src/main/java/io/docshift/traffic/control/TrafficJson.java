package io.docshift.traffic.control;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docshift.core.config.AutoRevertSettings;
import io.docshift.core.config.WriteMode;
import io.docshift.traffic.TrafficState;
import io.docshift.traffic.revert.TripRule;
import io.docshift.traffic.revert.WindowSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;

/**
 * The JSON shape of the traffic state, shared by the admin API, the audit trail and the store:
 * {@code {s3ReadPercent, writeMode, shadowPercent, autoRevert{enabled, dryRun, windowSeconds,
 * failureRatePercent, minimumVolume, p99Millis, consecutiveFailures, tripped, reason, trip{...}},
 * resumeEpoch, revision}}. Changes are read from the same field names.
 */
public final class TrafficJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String RULES =
      "enabled, dryRun, windowSeconds, failureRatePercent, minimumVolume, p99Millis,"
          + " consecutiveFailures";

  private TrafficJson() {}

  /** The state as a JSON object. */
  public static ObjectNode write(TrafficControlState state) {
    requireNonNull(state, "state");
    ObjectNode json = dials(state.traffic());
    ObjectNode auto = json.putObject("autoRevert");
    AutoRevertSettings rules = state.autoRevert();
    auto.put("enabled", rules.enabled());
    auto.put("dryRun", rules.dryRun());
    auto.put("windowSeconds", rules.window().getSeconds());
    auto.put("failureRatePercent", rules.failureRatePercent());
    auto.put("minimumVolume", rules.minimumVolume());
    auto.put("p99Millis", rules.p99Threshold().toMillis());
    auto.put("consecutiveFailures", rules.consecutiveFailures());
    auto.put("tripped", state.tripped());
    auto.put("reason", state.trip().map(RevertLatch::reason).orElse(null));
    state.trip().ifPresent(latch -> auto.set("trip", write(latch)));
    json.put("resumeEpoch", state.resumeEpoch());
    json.put("revision", state.revision());
    return json;
  }

  /** The dials alone. */
  public static ObjectNode dials(TrafficState traffic) {
    ObjectNode json = MAPPER.createObjectNode();
    json.put("s3ReadPercent", traffic.s3ReadPercent());
    json.put("writeMode", traffic.writeMode().name());
    json.put("shadowPercent", traffic.shadowPercent());
    return json;
  }

  /** A latch as JSON: rule, reason, at, window, preTrip. */
  public static ObjectNode write(RevertLatch latch) {
    ObjectNode json = MAPPER.createObjectNode();
    json.put("rule", latch.rule().name());
    json.put("reason", latch.reason());
    json.put("at", latch.at().toString());
    WindowSnapshot w = latch.window();
    ObjectNode window = json.putObject("window");
    window.put("seconds", w.window().getSeconds());
    window.put("requests", w.requests());
    window.put("failures", w.failures());
    window.put("p99Millis", w.p99().toMillis());
    window.put("consecutiveFailures", w.consecutiveFailures());
    json.set("preTrip", dials(latch.preTrip()));
    return json;
  }

  /**
   * Reads a latch written by {@link #write(RevertLatch)}.
   *
   * @throws IllegalArgumentException if a part is missing or malformed
   */
  public static RevertLatch readLatch(JsonNode json) {
    try {
      JsonNode w = json.required("window");
      JsonNode pre = json.required("preTrip");
      return new RevertLatch(
          TripRule.valueOf(json.required("rule").asText()),
          json.required("reason").asText(),
          Instant.parse(json.required("at").asText()),
          new WindowSnapshot(
              Duration.ofSeconds(w.required("seconds").asLong()),
              w.required("requests").asLong(),
              w.required("failures").asLong(),
              Duration.ofMillis(w.required("p99Millis").asLong()),
              w.required("consecutiveFailures").asInt()),
          new TrafficState(
              pre.required("s3ReadPercent").asInt(),
              WriteMode.valueOf(pre.required("writeMode").asText()),
              pre.required("shadowPercent").asInt()));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("malformed auto-revert latch: " + json, e);
    }
  }

  /**
   * Reads a change request: any of {@code s3ReadPercent, writeMode, shadowPercent} and an {@code
   * autoRevert} object with any of its rules. {@code reason} (and {@code actor}) are the caller's
   * business and skipped here.
   *
   * @throws IllegalArgumentException listing every invalid or unknown field as {@code name: value
   *     (expected: ...)}
   */
  public static TrafficChange readChange(JsonNode json) {
    requireNonNull(json, "json");
    TrafficChange.Builder change = TrafficChange.builder();
    if (!json.isObject()) {
      return change.reject("body", json, "a JSON object").build();
    }
    for (Map.Entry<String, JsonNode> field : json.properties()) {
      JsonNode value = field.getValue();
      switch (field.getKey()) {
        case "s3ReadPercent" -> integer(change, "s3ReadPercent", value, change::s3ReadPercent);
        case "shadowPercent" -> integer(change, "shadowPercent", value, change::shadowPercent);
        case "writeMode" -> writeMode(change, value);
        case "autoRevert" -> AutoRevertJson.read(change, value);
        case "reason", "actor" -> {}
        default ->
            change.reject(
                field.getKey(),
                value,
                "one of s3ReadPercent, writeMode, shadowPercent, autoRevert");
      }
    }
    return change.build();
  }

  private static void writeMode(TrafficChange.Builder change, JsonNode value) {
    String expected = "one of " + Arrays.toString(WriteMode.values());
    try {
      if (!value.isTextual()) {
        throw new IllegalArgumentException();
      }
      change.writeMode(WriteMode.valueOf(value.asText()));
    } catch (IllegalArgumentException e) {
      change.reject("writeMode", value, expected);
    }
  }

  static void integer(
      TrafficChange.Builder change,
      String name,
      JsonNode value,
      java.util.function.IntConsumer set) {
    if (value.isIntegralNumber() && value.canConvertToInt()) {
      set.accept(value.asInt());
    } else {
      change.reject(name, value, "an integer");
    }
  }

  static String rules() {
    return RULES;
  }

  /** Compact JSON text. */
  public static String text(JsonNode json) {
    return json.toString();
  }

  /**
   * Parses JSON text.
   *
   * @throws IllegalArgumentException if it is not JSON
   */
  public static JsonNode parse(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("body: not JSON (expected: a JSON object)", e);
    }
  }
}
