package io.docshift.sandbox.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A JSON request body ({@code Content-Type: application/json}), as the Java SDK ({@code
 * cloudinary-http5}) sends Admin API calls such as {@code update}: the top-level object's members
 * become parameters like form fields, scalars as their text, arrays as one value per element
 * (nested objects as their JSON text). Admin API bodies are small, so it is held in heap, capped.
 */
final class JsonFields {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_BYTES = 1024 * 1024;

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

  /** Whether {@code request} declares a JSON body. */
  static boolean declared(HttpRequest request) {
    String type = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
    return type != null && type.toLowerCase(Locale.ROOT).startsWith("application/json");
  }

  /** Appends one chunk of the body. */
  void append(byte[] chunk) {
    if (bytes.size() + chunk.length > MAX_BYTES) {
      throw Limits.tooLarge(bytes.size() + (long) chunk.length, MAX_BYTES);
    }
    bytes.write(chunk, 0, chunk.length);
  }

  /** The members as parameters; an empty body has none. */
  Map<String, List<String>> fields() {
    Map<String, List<String>> fields = new LinkedHashMap<>();
    if (bytes.size() == 0) {
      return fields;
    }
    JsonNode root;
    try {
      root = JSON.readTree(bytes.toByteArray());
    } catch (IOException e) {
      throw ApiException.badRequest("Invalid JSON body: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw ApiException.badRequest("Invalid JSON body: not an object");
    }
    for (Map.Entry<String, JsonNode> member : root.properties()) {
      List<String> values = new ArrayList<>();
      if (member.getValue().isArray()) {
        member.getValue().forEach(v -> values.add(text(v)));
      } else if (!member.getValue().isNull()) {
        values.add(text(member.getValue()));
      }
      fields.put(member.getKey(), values);
    }
    return fields;
  }

  private static String text(JsonNode value) {
    return value.isValueNode() ? value.asText() : value.toString();
  }
}
