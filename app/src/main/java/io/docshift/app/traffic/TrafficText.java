package io.docshift.app.traffic;

import com.fasterxml.jackson.databind.JsonNode;

/** Readable renderings of the admin API's JSON for the terminal. */
final class TrafficText {
  private TrafficText() {}

  static String describe(JsonNode s) {
    JsonNode a = s.path("autoRevert");
    StringBuilder text = new StringBuilder();
    text.append(String.format("S3 read weight : %d %%%n", s.path("s3ReadPercent").asInt()));
    text.append(String.format("write mode     : %s%n", s.path("writeMode").asText()));
    text.append(String.format("shadow reads   : %d %%%n", s.path("shadowPercent").asInt()));
    text.append(
        String.format(
            "auto-revert    : %s%s; trips at %d %% of >= %d S3 calls in %d s, %s, %s%n",
            a.path("enabled").asBoolean() ? "on" : "OFF",
            a.path("dryRun").asBoolean() ? " (dry run)" : "",
            a.path("failureRatePercent").asInt(),
            a.path("minimumVolume").asInt(),
            a.path("windowSeconds").asInt(),
            a.path("p99Millis").asLong() == 0 ? "p99 off" : "p99 > " + a.path("p99Millis") + " ms",
            a.path("consecutiveFailures").asInt() + " faults in a row"));
    if (a.path("tripped").asBoolean()) {
      JsonNode trip = a.path("trip");
      JsonNode pre = trip.path("preTrip");
      text.append(
          String.format(
              "TRIPPED        : %s at %s%n", a.path("reason").asText(), trip.path("at").asText()));
      text.append(
          String.format(
              "resume restores: %d %%, %s  (docshift traffic resume --reason ...)%n",
              pre.path("s3ReadPercent").asInt(), pre.path("writeMode").asText()));
    }
    text.append(String.format("revision       : %d%n", s.path("revision").asLong()));
    return text.toString();
  }

  static String event(JsonNode e) {
    return String.format(
        "%5d  %s  %-20s %-28s %s",
        e.path("id").asLong(),
        e.path("occurredAt").asText(),
        e.path("actor").asText(),
        e.path("action").asText(),
        e.path("reason").isNull() ? "" : e.path("reason").asText());
  }
}
