package io.docshift.proxy.graphql;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.Base64;
import java.util.Map;

/**
 * Opaque Relay cursors: {@code base64url(kind:id)} over the ledger's ids, so paging is stable while
 * rows are added. A cursor of another connection, or a forged one, is a {@code BAD_USER_INPUT}.
 */
final class Cursors {
  private Cursors() {}

  static String encode(String kind, long id) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((kind + ":" + id).getBytes(UTF_8));
  }

  /** The id after which the page starts, or {@code fallback} when {@code cursor} is null. */
  static long decode(String kind, String cursor, long fallback) {
    if (cursor == null) {
      return fallback;
    }
    try {
      String text = new String(Base64.getUrlDecoder().decode(cursor), UTF_8);
      if (text.startsWith(kind + ":")) {
        return Long.parseLong(text.substring(kind.length() + 1));
      }
    } catch (IllegalArgumentException e) {
      // reported below (NumberFormatException is an IllegalArgumentException)
    }
    throw Errors.userInput("cursor: " + cursor + " (expected: a cursor of this connection)");
  }

  /** A Relay connection of already-mapped edges. */
  static Map<String, Object> connection(
      java.util.List<Map<String, Object>> edges, boolean hasNext, boolean hasPrevious) {
    Object start = edges.isEmpty() ? null : edges.get(0).get("cursor");
    Object end = edges.isEmpty() ? null : edges.get(edges.size() - 1).get("cursor");
    java.util.Map<String, Object> pageInfo = new java.util.HashMap<>();
    pageInfo.put("hasNextPage", hasNext);
    pageInfo.put("hasPreviousPage", hasPrevious);
    pageInfo.put("startCursor", start);
    pageInfo.put("endCursor", end);
    return Map.of("edges", edges, "pageInfo", pageInfo);
  }

  static Map<String, Object> edge(String cursor, Object node) {
    return Map.of("cursor", cursor, "node", node);
  }
}
