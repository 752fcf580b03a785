package io.docshift.sandbox.emulator;

import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A request target split into percent-decoded path segments and raw query parameters. Segments are
 * decoded one by one, so an encoded {@code %2F} cannot forge structure, and any segment that
 * decodes to {@code .}, {@code ..}, a slash, a backslash or a control character is rejected (path
 * traversal, encoded or not).
 *
 * @param segments decoded, non-empty path segments
 * @param rawSegments the same segments as received, still percent-encoded (delivery signatures are
 *     computed by the SDKs over the encoded form)
 * @param query query parameters as received (values decoded), in order
 */
record RequestPath(
    List<String> segments, List<String> rawSegments, Map<String, List<String>> query) {

  /** Parses a request URI; {@code null} when it is malformed or unsafe. */
  static RequestPath parse(String uri) {
    if (uri.isEmpty() || uri.charAt(0) != '/' || uri.indexOf('\\') >= 0) {
      return null;
    }
    QueryStringDecoder decoder = new QueryStringDecoder(uri);
    List<String> segments = new ArrayList<>();
    List<String> rawSegments = new ArrayList<>();
    for (String raw : decoder.rawPath().split("/")) {
      if (raw.isEmpty()) {
        continue;
      }
      String segment = decode(raw);
      if (segment == null || !PublicIds.isSafeSegment(segment)) {
        return null;
      }
      segments.add(segment);
      rawSegments.add(raw);
    }
    Map<String, List<String>> query;
    try {
      query = new LinkedHashMap<>(decoder.parameters());
    } catch (IllegalArgumentException e) {
      return null;
    }
    return new RequestPath(List.copyOf(segments), List.copyOf(rawSegments), query);
  }

  /** Percent-decodes a path segment; {@code +} is a literal plus in paths. */
  private static String decode(String raw) {
    try {
      return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
