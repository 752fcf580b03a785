package io.docshift.write;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Parameters of an API call that DocShift must understand before passing it on: the query string
 * plus a {@code application/x-www-form-urlencoded} or JSON body (Admin API calls), or a multipart
 * body (Upload API calls, via {@link MultipartParser}). Array parameters keep their {@code name[]}.
 */
final class FormParams {
  /** Bodies DocShift reads to learn the parameters; a larger one is refused. */
  static final long MAX_BODY_BYTES = 1024 * 1024;

  private FormParams() {}

  /** All parameters of a call whose body is spooled at {@code body}. */
  static Map<String, List<String>> of(String rawPathAndQuery, Path body, String contentType)
      throws IOException {
    Map<String, List<String>> params = new LinkedHashMap<>();
    int q = rawPathAndQuery.indexOf('?');
    if (q >= 0) {
      urlEncoded(rawPathAndQuery.substring(q + 1), params);
    }
    long size = Files.exists(body) ? Files.size(body) : 0;
    if (size == 0) {
      return params;
    }
    String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
    if (type.startsWith("multipart/form-data")) {
      MultipartParser.parse(body, contentType).params().forEach((k, v) -> add(params, k, v));
    } else if (size > MAX_BODY_BYTES) {
      throw new BadUpload(413, "Request body too large to parse");
    } else if (type.startsWith("application/json")) {
      json(ApiAnswer.JSON.readTree(body.toFile()), params);
    } else {
      urlEncoded(Files.readString(body, StandardCharsets.UTF_8), params);
    }
    return params;
  }

  /** The parameters as their signature covers them: {@code name[]} values joined by commas. */
  static Map<String, String> signed(Map<String, List<String>> params) {
    Map<String, String> flat = new HashMap<>();
    params.forEach(
        (name, values) -> {
          String bare = name.endsWith("[]") ? name.substring(0, name.length() - 2) : name;
          flat.put(bare, String.join(",", values));
        });
    return flat;
  }

  /** First value of {@code name} (or {@code name[]}), or null when absent or empty. */
  static String first(Map<String, List<String>> params, String name) {
    List<String> values = params.getOrDefault(name, params.get(name + "[]"));
    return values == null || values.isEmpty() || values.get(0).isEmpty() ? null : values.get(0);
  }

  /**
   * Every value of {@code name[]}, or without it of {@code name} (an Admin API call's {@code
   * public_ids}), or null when neither was sent.
   */
  static List<String> all(Map<String, List<String>> params, String name) {
    return params.getOrDefault(name + "[]", params.get(name));
  }

  /** Cloudinary booleans: {@code true}/{@code 1}. */
  static boolean flag(Map<String, List<String>> params, String name) {
    String value = first(params, name);
    return value != null && (value.equalsIgnoreCase("true") || value.equals("1"));
  }

  private static void urlEncoded(String text, Map<String, List<String>> params) {
    for (String pair : text.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      add(params, name, eq < 0 ? "" : decode(pair.substring(eq + 1)));
    }
  }

  private static void json(JsonNode root, Map<String, List<String>> params) {
    if (root == null || !root.isObject()) {
      return;
    }
    root.properties()
        .forEach(
            e -> {
              if (e.getValue().isArray()) {
                e.getValue().forEach(v -> add(params, e.getKey() + "[]", v.asText()));
              } else {
                add(params, e.getKey(), e.getValue().asText());
              }
            });
  }

  private static void add(Map<String, List<String>> params, String name, String value) {
    params.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
  }

  private static String decode(String text) {
    try {
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new BadUpload(400, "Malformed parameter: " + text);
    }
  }
}
