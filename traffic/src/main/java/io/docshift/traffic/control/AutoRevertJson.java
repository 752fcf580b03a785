package io.docshift.traffic.control;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** Reads the {@code autoRevert} object of a change request into a {@link TrafficChange}. */
final class AutoRevertJson {
  private AutoRevertJson() {}

  static void read(TrafficChange.Builder change, JsonNode json) {
    if (!json.isObject()) {
      change.reject("autoRevert", json, "an object with any of " + TrafficJson.rules());
      return;
    }
    for (Map.Entry<String, JsonNode> field : json.properties()) {
      String name = "autoRevert." + field.getKey();
      JsonNode value = field.getValue();
      switch (field.getKey()) {
        case "enabled" -> bool(change, name, value, change::autoRevertEnabled);
        case "dryRun" -> bool(change, name, value, change::dryRun);
        case "windowSeconds" -> TrafficJson.integer(change, name, value, change::windowSeconds);
        case "failureRatePercent" ->
            TrafficJson.integer(change, name, value, change::failureRatePercent);
        case "minimumVolume" -> TrafficJson.integer(change, name, value, change::minimumVolume);
        case "p99Millis" -> TrafficJson.integer(change, name, value, change::p99Millis);
        case "consecutiveFailures" ->
            TrafficJson.integer(change, name, value, change::consecutiveFailures);
        case "tripped", "reason", "trip" ->
            change.reject(name, value, "not settable: only a trip sets it, only resume clears it");
        default -> change.reject(name, value, "one of " + TrafficJson.rules());
      }
    }
  }

  private static void bool(
      TrafficChange.Builder change,
      String name,
      JsonNode value,
      java.util.function.Consumer<Boolean> set) {
    if (value.isBoolean()) {
      set.accept(value.asBoolean());
    } else {
      change.reject(name, value, "true or false");
    }
  }
}
