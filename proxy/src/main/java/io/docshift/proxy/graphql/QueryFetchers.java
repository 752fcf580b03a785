package io.docshift.proxy.graphql;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;
import io.docshift.core.key.DeliveryType;
import io.docshift.core.key.ResourceType;
import io.docshift.ledger.AuditEvent;
import io.docshift.ledger.DocumentRecord;
import io.docshift.ledger.Documents;
import io.docshift.ledger.LedgerKey;
import io.docshift.ledger.MismatchRecord;
import io.docshift.ledger.Mismatches;
import io.docshift.ledger.S3State;
import io.docshift.traffic.control.TrafficJson;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.dataloader.DataLoader;

/**
 * The {@code Query} fields. Connections read one ledger page each (plus one row to know whether
 * more exist, see {@link Paging}); documents of a page are primed into the request's ledger loader,
 * so their fields cost no second ledger read.
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

  /** Documents in ledger (id) order: {@code first} walks up from the start, {@code last} down. */
  DataFetcher<Map<String, Object>> documents() {
    return env -> {
      Paging paging = Paging.of(env, "d", 0, Long.MAX_VALUE);
      String prefix = env.getArgument("prefix");
      String name = env.getArgument("state");
      S3State state = name == null ? null : S3State.valueOf(name);
      Documents documents = sources.ledger().documents();
      String cloud = sources.cloud();
      List<DocumentRecord> rows =
          ledger(
              env,
              () ->
                  paging.backward()
                      ? documents.pageByPrefixBefore(
                          cloud, prefix, state, paging.cursor(), paging.limit())
                      : documents.pageByPrefix(
                          cloud, prefix, state, paging.cursor(), paging.limit()));
      if (sources.batching()) {
        // The naive baseline reads each row again, as a resolver without loaders would.
        DataLoader<LedgerKey, DocumentRecord> loader = env.getDataLoader(Loaders.LEDGER);
        rows.forEach(row -> loader.prime(row.key(), row));
      }
      return paging.connection(rows, "d", DocumentRecord::id, DocumentRecord::key);
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

  /**
   * Audit events newest first ({@code last}: the oldest, or those just newer than a cursor),
   * optionally by one actor and with an action prefix ({@code traffic.}, {@code document.repair}).
   */
  DataFetcher<Map<String, Object>> audit() {
    return env -> {
      Paging paging = Paging.of(env, "a", Long.MAX_VALUE, 0);
      String actor = env.getArgument("actor");
      String action = env.getArgument("action");
      List<AuditEvent> events =
          ledger(
              env,
              () ->
                  sources
                      .ledger()
                      .audit()
                      .page(actor, action, paging.cursor(), paging.backward(), paging.limit()));
      return paging.connection(events, "a", AuditEvent::id, QueryFetchers::auditNode);
    };
  }

  /**
   * Mismatch samples newest first ({@code last}: the oldest, or those just newer than a cursor).
   */
  DataFetcher<Map<String, Object>> mismatches() {
    return env -> {
      Paging paging = Paging.of(env, "m", Long.MAX_VALUE, 0);
      Mismatches mismatches = sources.ledger().mismatches();
      List<MismatchRecord> records =
          ledger(
              env,
              () ->
                  paging.backward()
                      ? mismatches.after(paging.cursor(), paging.limit())
                      : mismatches.before(paging.cursor(), paging.limit()));
      return paging.connection(records, "m", MismatchRecord::id, QueryFetchers::mismatchNode);
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

  /** One ledger statement, counted for the request's {@code extensions}. */
  static <T> T ledger(DataFetchingEnvironment env, Supplier<T> read) {
    Spend spend = env.getGraphQlContext().get(Spend.class);
    spend.ledgerQueries.incrementAndGet();
    return read.get();
  }
}
