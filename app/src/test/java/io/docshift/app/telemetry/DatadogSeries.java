package io.docshift.app.telemetry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** What a WireMock standing in for Datadog's API received on {@code POST /api/v1/series}. */
public final class DatadogSeries {
  /** One posted series point. */
  public record Point(String metric, Set<String> tags, String host, String type, double value) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<LoggedRequest> requests;
  private final List<Point> points = new ArrayList<>();

  private DatadogSeries(List<LoggedRequest> requests) {
    this.requests = requests;
    requests.forEach(this::read);
  }

  /** Answers series posts (202) and metadata updates (200), as Datadog does. */
  public static void stub(WireMockServer datadog) {
    datadog.stubFor(
        WireMock.post(WireMock.urlPathEqualTo("/api/v1/series"))
            .willReturn(WireMock.aResponse().withStatus(202).withBody("{\"status\":\"ok\"}")));
  }

  /** Every series post {@code datadog} received so far. */
  public static DatadogSeries received(WireMockServer datadog) {
    return new DatadogSeries(
        datadog.findAll(WireMock.postRequestedFor(WireMock.urlPathEqualTo("/api/v1/series"))));
  }

  private void read(LoggedRequest request) {
    try {
      for (JsonNode series : JSON.readTree(request.getBodyAsString()).path("series")) {
        Set<String> tags = new TreeSet<>();
        series.path("tags").forEach(t -> tags.add(t.asText()));
        for (JsonNode point : series.path("points")) {
          points.add(
              new Point(
                  series.path("metric").asText(),
                  tags,
                  series.path("host").asText(null),
                  series.path("type").asText(),
                  point.get(1).asDouble()));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public List<LoggedRequest> requests() {
    return requests;
  }

  public List<Point> points() {
    return points;
  }

  /** Metric names posted. */
  public Set<String> names() {
    Set<String> names = new TreeSet<>();
    points.forEach(p -> names.add(p.metric()));
    return names;
  }

  /** Sum of the points of {@code metric} whose tags include all of {@code tags}. */
  public double sum(String metric, String... tags) {
    return points.stream()
        .filter(p -> p.metric().equals(metric) && p.tags().containsAll(List.of(tags)))
        .mapToDouble(Point::value)
        .sum();
  }

  /** Per metric name, every tag set posted (for failure messages). */
  public Map<String, Set<Set<String>>> tagSets() {
    Map<String, Set<Set<String>>> byName = new TreeMap<>();
    points.forEach(
        p -> byName.computeIfAbsent(p.metric(), n -> new java.util.HashSet<>()).add(p.tags()));
    return byName;
  }
}
