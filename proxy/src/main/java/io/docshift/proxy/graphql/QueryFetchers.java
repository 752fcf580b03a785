package io.docshift.proxy.graphql;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;
import io.docshift.core.key.DeliveryType;
import io.docshift.core.key.ResourceType;
import io.docshift.core.ledger.AuditEvent;
import io.docshift.core.ledger.DocumentRecord;
import io.docshift.core.ledger.LedgerKey;
import io.docshift.core.ledger.MismatchRecord;
import io.docshift.core.ledger.S3State;
import io.docshift.core.traffic.control.TrafficJson;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.dataloader.DataLoader;

/**
 * The {@code Query} fields. Root lists read one ledger page each (plus one row to know whether a
 * next page exists); documents of a page are primed into the request's ledger loader, so their
 * fields cost no second ledger read.
 */
final class QueryFetchers {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final Sources sources;

  QueryFetchers(Sources sources) {
    this.sources = sources;
  }

  DataFetcher<LedgerKey> document() {
    return env ->
        key(
            sources.cloud(),
            env.getArgument("publicId"),
            env.getArgument("resourceType"),
            env.getArgument("type"));
  }

  /** A document's key from its arguments (or a {@code DocumentRef}), validated. */
  static LedgerKey key(String cloud, String publicId, String resourceType, String type) {
    if (ResourceType.fromWire(resourceType).isEmpty()) {
      throw Errors.userInput("resourceType: " + resourceType + " (expected: image, video, raw)");
    }
    if (DeliveryType.fromWire(type).isEmpty()) {
      throw Errors.userInput("type: " + type + " (expected: a Cloudinary delivery type)");
    }
    if (publicId == null || publicId.isBlank()) {
      throw Errors.userInput("publicId: " + publicId + " (expected: a public id)");
    }
    return new LedgerKey(cloud, resourceType, type, publicId);
  }

  DataFetcher<Map<String, Object>> documents() {
    return env -> {
      int first = env.getArgument("first");
      String state = env.getArgument("state");
      long after = Cursors.decode("d", env.getArgument("after"), 0);
      List<DocumentRecord> rows =
          ledger(
              env,
              () ->
                  sources
                      .ledger()
                      .documents()
                      .pageByPrefix(
                          sources.cloud(),
                          env.getArgument("prefix"),
                          state == null ? null : S3State.valueOf(state),
                          after,
                          first + 1));
      if (sources.batching()) {
        // The naive baseline reads each row again, as a resolver without loaders would.
        DataLoader<LedgerKey, DocumentRecord> loader = env.getDataLoader(Loaders.LEDGER);
        rows.forEach(row -> loader.prime(row.key(), row));
      }
      return page(rows, first, row -> Cursors.edge(Cursors.encode("d", row.id()), row.key()));
    };
  }

  DataFetcher<Map<String, Object>> traffic() {
    return env -> traffic(sources);
  }

  /** The admin API's own JSON of the traffic state, so both APIs say the same thing. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> traffic(Sources sources) {
    ObjectNode json = TrafficJson.write(sources.control().state());
    json.set("effective", TrafficJson.dials(sources.control().current()));
    return MAPPER.convertValue(json, Map.class);
  }

  DataFetcher<Map<String, Object>> audit() {
    return env -> {
      int first = env.getArgument("first");
      long before = Cursors.decode("a", env.getArgument("after"), Long.MAX_VALUE);
      List<AuditEvent> events =
          ledger(env, () -> sources.ledger().audit().before(before, first + 1));
      return page(events, first, e -> Cursors.edge(Cursors.encode("a", e.id()), auditNode(e)));
    };
  }

  DataFetcher<Map<String, Object>> mismatches() {
    return env -> {
      int first = env.getArgument("first");
      long before = Cursors.decode("m", env.getArgument("after"), Long.MAX_VALUE);
      List<MismatchRecord> records =
          ledger(env, () -> sources.ledger().mismatches().before(before, first + 1));
      return page(records, first, r -> Cursors.edge(Cursors.encode("m", r.id()), mismatchNode(r)));
    };
  }

  private static Map<String, Object> auditNode(AuditEvent e) {
    Map<String, Object> m = new HashMap<>();
    m.put("id", (double) e.id());
    m.put("occurredAt", e.occurredAt().toString());
    m.put("actor", e.actor());
    m.put("action", e.action());
    m.put("before", e.before());
    m.put("after", e.after());
    m.put("reason", e.reason());
    return m;
  }

  static Map<String, Object> mismatchNode(MismatchRecord r) {
    Map<String, Object> m = new HashMap<>();
    m.put("id", (double) r.id());
    m.put("detectedAt", r.detectedAt().toString());
    m.put("publicId", r.sample().key().publicId());
    m.put("resourceType", r.sample().key().resourceType());
    m.put("type", r.sample().key().type());
    m.put("source", r.sample().source().name());
    m.put("reason", r.sample().reason());
    m.put("cloudinaryMd5", r.sample().cloudinary().md5());
    m.put("s3Md5", r.sample().s3().md5());
    return m;
  }

  private static <T> Map<String, Object> page(
      List<T> rows, int first, Function<T, Map<String, Object>> edge) {
    List<Map<String, Object>> edges = new ArrayList<>();
    for (T row : rows.subList(0, Math.min(first, rows.size()))) {
      edges.add(edge.apply(row));
    }
    return Cursors.connection(edges, rows.size() > first);
  }

  /** One ledger statement, counted for the request's {@code extensions}. */
  static <T> T ledger(DataFetchingEnvironment env, Supplier<T> read) {
    Spend spend = env.getGraphQlContext().get(Spend.class);
    spend.ledgerQueries.incrementAndGet();
    return read.get();
  }
}
