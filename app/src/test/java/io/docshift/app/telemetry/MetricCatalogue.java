package io.docshift.app.telemetry;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The rows of {@code docs/metrics.md}'s catalogue tables: {@code | meter | type | unit | tags |
 * Prometheus | Datadog | from | meaning |}, names in backticks, several Datadog series separated by
 * commas.
 */
public final class MetricCatalogue {
  /** One catalogue row. */
  public record Entry(
      String meter,
      String type,
      String unit,
      String tags,
      List<String> prometheus,
      List<String> datadog,
      String from) {}

  private MetricCatalogue() {}

  public static List<Entry> entries() throws IOException {
    List<Entry> entries = new ArrayList<>();
    for (String line : Files.readAllLines(MetricReferences.repositoryFile("docs/metrics.md"))) {
      if (!line.startsWith("| `")) {
        continue;
      }
      String[] cells = line.split("\\|");
      if (cells.length < 9) {
        throw new IllegalStateException("catalogue row with fewer than 8 cells: " + line);
      }
      entries.add(
          new Entry(
              names(cells[1]).get(0),
              cells[2].strip(),
              cells[3].strip(),
              cells[4].strip(),
              names(cells[5]),
              names(cells[6]),
              cells[7].strip()));
    }
    return entries;
  }

  private static List<String> names(String cell) {
    return Arrays.stream(cell.split(","))
        .map(String::strip)
        .filter(s -> s.startsWith("`") && s.endsWith("`"))
        .map(s -> s.substring(1, s.length() - 1))
        .toList();
  }
}
