package io.docshift.app.telemetry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Datadog metric names that {@code conf/datadog/} queries: every {@code query} and {@code q} of
 * the dashboard's widgets (nested groups included) and every monitor's {@code query}.
 */
public final class MetricReferences {
  /** A space aggregator and the metric it applies to: {@code sum:docshift.requests.count{...}}. */
  private static final Pattern METRIC =
      Pattern.compile("(?:avg|sum|min|max|count):([a-z][a-z0-9_.]*)\\{");

  private static final ObjectMapper JSON = new ObjectMapper();

  private MetricReferences() {}

  /** The repository's {@code conf/datadog} directory, found above the working directory. */
  public static Path datadogDir() {
    return repositoryFile("conf/datadog");
  }

  /** A path inside the repository, found by walking up from the working directory. */
  public static Path repositoryFile(String relative) {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve(relative))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException(relative + " not found above the working directory");
    }
    return dir.resolve(relative);
  }

  /** Every query string of the dashboard and monitor files. */
  public static List<String> queries() throws IOException {
    List<String> queries = new ArrayList<>();
    collect(JSON.readTree(datadogDir().resolve("dashboard.json").toFile()), queries);
    collect(JSON.readTree(datadogDir().resolve("monitors.json").toFile()), queries);
    return queries;
  }

  private static void collect(JsonNode node, List<String> queries) {
    if (node.isObject()) {
      node.properties()
          .forEach(
              field -> {
                boolean query = field.getKey().equals("query") || field.getKey().equals("q");
                if (query && field.getValue().isTextual()) {
                  queries.add(field.getValue().asText());
                } else {
                  collect(field.getValue(), queries);
                }
              });
    } else if (node.isArray()) {
      node.forEach(element -> collect(element, queries));
    }
  }

  /** The metric names in {@code query}. */
  public static Set<String> metrics(String query) {
    Set<String> names = new TreeSet<>();
    Matcher m = METRIC.matcher(query);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }
}
