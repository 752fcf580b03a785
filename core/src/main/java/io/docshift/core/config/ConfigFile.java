package io.docshift.core.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a {@code docshift.conf}: one {@code key = value} per line, blank lines and lines starting
 * with {@code #} or {@code !} ignored, key and value trimmed, values literal (no escapes, no line
 * continuations). Unknown keys, duplicate keys and malformed lines are errors, each naming the
 * line.
 */
final class ConfigFile {
  private ConfigFile() {}

  /** Parses {@code file}; problems go to {@code errors}, the values found are returned. */
  static Map<String, String> read(Path file, List<String> errors) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      errors.add(
          file + ": cannot read (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
      return Map.of();
    }
    return parse(file.toString(), lines, errors);
  }

  static Map<String, String> parse(String source, List<String> lines, List<String> errors) {
    Map<String, String> values = new LinkedHashMap<>();
    Map<String, Integer> firstLine = new HashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (!line.isEmpty() && !line.startsWith("#") && !line.startsWith("!")) {
        parseLine(line, source, i + 1, values, firstLine, errors);
      }
    }
    return values;
  }

  private static void parseLine(
      String line,
      String source,
      int number,
      Map<String, String> values,
      Map<String, Integer> firstLine,
      List<String> errors) {
    int equals = line.indexOf('=');
    if (equals <= 0) {
      errors.add(source + " line " + number + ": expected 'key = value', got '" + line + "'");
      return;
    }
    String key = line.substring(0, equals).strip();
    if (Settings.find(key).isEmpty()) {
      errors.add(key + ": unknown key (" + source + " line " + number + ")");
    } else if (firstLine.containsKey(key)) {
      errors.add(
          key + ": set twice (" + source + " lines " + firstLine.get(key) + " and " + number + ")");
    } else {
      firstLine.put(key, number);
      values.put(key, line.substring(equals + 1).strip());
    }
  }
}
