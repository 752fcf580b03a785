package io.docshift.proxy.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docshift.ledger.AuditEvent;
import io.docshift.ledger.Ledger;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;

/**
 * {@code GET /admin/audit?limit=N}: the newest audit events first (default 50, at most 1000).
 * Before/after values that are JSON are embedded as JSON, others as strings.
 */
final class AuditReport {
  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 1000;
  private final Ledger ledger;

  AuditReport(Ledger ledger) {
    this.ledger = ledger;
  }

  AdminResponse latest(QueryStringDecoder query) {
    List<String> given = query.parameters().get("limit");
    int limit = given == null ? DEFAULT_LIMIT : limit(given.get(0));
    ObjectNode json = AdminResponse.mapper().createObjectNode();
    ArrayNode events = json.putArray("events");
    for (AuditEvent event : ledger.audit().latest(limit)) {
      ObjectNode e = events.addObject();
      e.put("id", event.id());
      e.put("occurredAt", event.occurredAt().toString());
      e.put("actor", event.actor());
      e.put("action", event.action());
      e.set("before", value(event.before()));
      e.set("after", value(event.after()));
      e.put("reason", event.reason());
    }
    return AdminResponse.ok(json);
  }

  private static int limit(String text) {
    try {
      int limit = Integer.parseInt(text);
      if (limit >= 1 && limit <= MAX_LIMIT) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("limit: " + text + " (expected: 1.." + MAX_LIMIT + ")");
  }

  private static JsonNode value(String text) {
    if (text == null) {
      return AdminResponse.mapper().nullNode();
    }
    if (text.startsWith("{")) {
      try {
        return AdminResponse.mapper().readTree(text);
      } catch (java.io.IOException e) {
        // not JSON after all: shown as text
      }
    }
    return AdminResponse.mapper().getNodeFactory().textNode(text);
  }
}
