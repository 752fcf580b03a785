package io.docshift.app.telemetry;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text exposition format 0.0.4, written for tests: it rejects
 * what a Prometheus server would reject (bad names, bad escapes, bad numbers, a {@code TYPE} after
 * its samples, a family split in two, duplicate series, histograms without {@code +Inf}, decreasing
 * buckets or a {@code +Inf} bucket that disagrees with {@code _count}), and a few things it would
 * tolerate that a well-behaved exporter never writes (a missing final newline, duplicate {@code
 * HELP}). Errors name the line.
 */
public final class PrometheusText {
  private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
  private static final Pattern FLOAT =
      Pattern.compile("[+-]?(?:\\d+\\.?\\d*(?:[eE][+-]?\\d+)?|\\.\\d+(?:[eE][+-]?\\d+)?)");
  private static final Pattern TIMESTAMP = Pattern.compile("-?\\d+");
  private static final Set<String> TYPES =
      Set.of("counter", "gauge", "histogram", "summary", "untyped");

  /** One sample line. */
  public record Sample(String name, Map<String, String> labels, double value) {}

  /** A metric family: its {@code TYPE}, {@code HELP} and samples. */
  public record Family(String name, String type, String help, List<Sample> samples) {}

  private final Map<String, Family> families = new LinkedHashMap<>();
  private final Map<String, String> types = new HashMap<>();
  private final Map<String, String> helps = new HashMap<>();
  private final Set<String> closed = new HashSet<>();
  private final Set<String> seriesSeen = new HashSet<>();
  private String open;
  private int lineNumber;

  private PrometheusText() {}

  /**
   * Parses {@code text}.
   *
   * @throws IllegalArgumentException naming the first offending line
   */
  public static Map<String, Family> parse(String text) {
    PrometheusText parser = new PrometheusText();
    if (!text.isEmpty() && !text.endsWith("\n")) {
      throw new IllegalArgumentException("exposition does not end with a newline");
    }
    for (String line : text.split("\n", -1)) {
      parser.lineNumber++;
      parser.line(line);
    }
    parser.families.values().forEach(PrometheusText::checkHistogram);
    return Collections.unmodifiableMap(parser.families);
  }

  private void line(String line) {
    if (line.isEmpty()) {
      return;
    }
    if (line.startsWith("#")) {
      comment(line);
    } else {
      sample(line);
    }
  }

  private void comment(String line) {
    String[] parts = line.split(" ", 4);
    if (parts.length < 3 || !parts[0].equals("#")) {
      return; // a plain comment
    }
    if (parts[1].equals("HELP")) {
      String name = metricName(parts[2]);
      String help = parts.length == 4 ? unescape(parts[3], false) : "";
      if (helps.put(name, help) != null) {
        fail("second HELP for " + name);
      }
    } else if (parts[1].equals("TYPE")) {
      String name = metricName(parts[2]);
      if (parts.length != 4 || !TYPES.contains(parts[3])) {
        fail("TYPE of " + name + " is not one of " + TYPES);
      }
      if (types.containsKey(name) || families.containsKey(name)) {
        fail("TYPE of " + name + " after its samples or a second time");
      }
      types.put(name, parts[3]);
    }
  }

  private void sample(String line) {
    int cursor = 0;
    while (cursor < line.length() && line.charAt(cursor) != '{' && line.charAt(cursor) != ' ') {
      cursor++;
    }
    String name = metricName(line.substring(0, cursor));
    Map<String, String> labels = new TreeMap<>();
    if (cursor < line.length() && line.charAt(cursor) == '{') {
      cursor = labels(line, cursor + 1, labels);
    }
    if (cursor >= line.length() || line.charAt(cursor) != ' ') {
      fail("expected a space before the value");
    }
    String[] rest = line.substring(cursor + 1).split(" ", -1);
    if (rest.length > 2) {
      fail("unexpected text after the value and timestamp");
    }
    double value = number(rest[0]);
    if (rest.length == 2 && !TIMESTAMP.matcher(rest[1]).matches()) {
      fail("bad timestamp " + rest[1]);
    }
    add(name, new Sample(name, labels, value));
  }

  private int labels(String line, int start, Map<String, String> labels) {
    int cursor = start;
    while (cursor < line.length() && line.charAt(cursor) != '}') {
      int equals = line.indexOf('=', cursor);
      if (equals < 0) {
        fail("label without '='");
      }
      String label = line.substring(cursor, equals);
      if (!LABEL_NAME.matcher(label).matches() || label.startsWith("__")) {
        fail("bad label name '" + label + "'");
      }
      if (equals + 1 >= line.length() || line.charAt(equals + 1) != '"') {
        fail("label value of " + label + " is not quoted");
      }
      int end = closingQuote(line, equals + 2);
      if (labels.put(label, unescape(line.substring(equals + 2, end), true)) != null) {
        fail("label " + label + " twice");
      }
      cursor = end + 1;
      if (cursor < line.length() && line.charAt(cursor) == ',') {
        cursor++;
      } else if (cursor >= line.length() || line.charAt(cursor) != '}') {
        fail("expected ',' or '}' after label " + label);
      }
    }
    if (cursor >= line.length()) {
      fail("unterminated label set");
    }
    return cursor + 1;
  }

  private int closingQuote(String line, int from) {
    for (int i = from; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '"') {
        return i;
      }
    }
    return fail("unterminated label value");
  }

  private String unescape(String text, boolean quotes) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c != '\\') {
        out.append(c);
        continue;
      }
      char next = i + 1 < text.length() ? text.charAt(++i) : ' ';
      if (next == '\\' || next == 'n' || (quotes && next == '"')) {
        out.append(next == 'n' ? '\n' : next);
      } else {
        fail("bad escape \\" + next);
      }
    }
    return out.toString();
  }

  private void add(String sampleName, Sample sample) {
    String family = familyOf(sampleName);
    if (!family.equals(open)) {
      if (closed.contains(family)) {
        fail("samples of " + family + " are not together");
      }
      if (open != null) {
        closed.add(open);
      }
      open = family;
    }
    if (!seriesSeen.add(sampleName + sample.labels())) {
      fail("duplicate series " + sampleName + sample.labels());
    }
    families
        .computeIfAbsent(
            family,
            f -> new Family(f, types.getOrDefault(f, "untyped"), helps.get(f), new ArrayList<>()))
        .samples()
        .add(sample);
  }

  /** The family a sample belongs to: histograms and summaries own their suffixed samples. */
  private String familyOf(String sampleName) {
    for (String suffix : new String[] {"_bucket", "_count", "_sum"}) {
      if (sampleName.endsWith(suffix)) {
        String base = sampleName.substring(0, sampleName.length() - suffix.length());
        String type = types.get(base);
        if ("histogram".equals(type) || ("summary".equals(type) && !suffix.equals("_bucket"))) {
          return base;
        }
      }
    }
    return sampleName;
  }

  private static void checkHistogram(Family family) {
    if (!family.type().equals("histogram")) {
      return;
    }
    Map<Map<String, String>, List<Sample>> buckets = new HashMap<>();
    Map<Map<String, String>, Double> counts = new HashMap<>();
    for (Sample s : family.samples()) {
      if (s.name().endsWith("_bucket")) {
        if (!s.labels().containsKey("le")) {
          throw new IllegalArgumentException(family.name() + ": bucket without le");
        }
        Map<String, String> series = new TreeMap<>(s.labels());
        series.remove("le");
        buckets.computeIfAbsent(series, k -> new ArrayList<>()).add(s);
      } else if (s.name().endsWith("_count")) {
        counts.put(s.labels(), s.value());
      }
    }
    buckets.forEach((series, list) -> checkBuckets(family.name(), series, list, counts));
  }

  private static void checkBuckets(
      String family,
      Map<String, String> series,
      List<Sample> buckets,
      Map<Map<String, String>, Double> counts) {
    double previousBound = Double.NEGATIVE_INFINITY;
    double previousCount = 0;
    for (Sample bucket : buckets) {
      double bound = parseBound(bucket.labels().get("le"));
      if (bound <= previousBound || bucket.value() < previousCount) {
        throw new IllegalArgumentException(family + series + ": buckets not increasing");
      }
      previousBound = bound;
      previousCount = bucket.value();
    }
    if (previousBound != Double.POSITIVE_INFINITY) {
      throw new IllegalArgumentException(family + series + ": no +Inf bucket");
    }
    Double count = counts.get(series);
    if (count == null || count != previousCount) {
      throw new IllegalArgumentException(family + series + ": +Inf bucket differs from _count");
    }
  }

  private static double parseBound(String le) {
    return le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
  }

  private double number(String text) {
    switch (text) {
      case "NaN":
        return Double.NaN;
      case "+Inf":
        return Double.POSITIVE_INFINITY;
      case "-Inf":
        return Double.NEGATIVE_INFINITY;
      default:
        if (!FLOAT.matcher(text).matches()) {
          fail("bad value '" + text + "'");
        }
        return Double.parseDouble(text);
    }
  }

  private String metricName(String name) {
    if (!METRIC_NAME.matcher(name).matches()) {
      fail("bad metric name '" + name + "'");
    }
    return name;
  }

  private <T> T fail(String message) {
    throw new IllegalArgumentException("line " + lineNumber + ": " + message);
  }
}
