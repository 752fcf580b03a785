package io.docshift.proxy.graphql;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.docshift.core.store.DocumentStore;
import io.docshift.ledger.CloudinaryAsset;
import io.docshift.ledger.DocumentRecord;
import io.docshift.ledger.Ledger;
import io.docshift.ledger.LedgerKey;
import io.docshift.ledger.S3State;
import io.docshift.shadow.Expected;
import io.docshift.shadow.Finding;
import io.docshift.shadow.Verify;
import io.docshift.shadow.VerifyOptions;
import io.docshift.stores.s3.S3Inventory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code reverify} and {@code repair} of named documents: the {@code docshift verify} walk ({@link
 * Verify}, with {@code --repair} for the latter) over just these documents, so the check, the
 * ledger marks and the conditional re-copy are the CLI's, not a second copy of them. Documents the
 * ledger does not know are checked against what Cloudinary's Admin API says (one batched call).
 * Every document's outcome is audited with the caller's name. Blocking: runs on the caller's
 * thread, each document bounded by {@code options.documentTimeout()}.
 */
final class DocumentChecks {
  /** Verbs of the audit events ({@code document.reverify}, {@code document.repair}). */
  static final String REVERIFY = "reverify";

  static final String REPAIR = "repair";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Ledger ledger;
  private final CloudinaryResources admin;
  private final DocumentStore cloudinary;
  private final DocumentStore s3;
  private final S3Inventory bucket;
  private final String cloud;
  private final VerifyOptions options;

  DocumentChecks(
      Ledger ledger,
      CloudinaryResources admin,
      DocumentStore cloudinary,
      DocumentStore s3,
      S3Inventory bucket,
      String cloud,
      VerifyOptions options) {
    this.ledger = ledger;
    this.admin = admin;
    this.cloudinary = cloudinary;
    this.s3 = s3;
    this.bucket = bucket;
    this.cloud = cloud;
    this.options = options;
  }

  /**
   * Checks (and with {@code repair}, repairs) {@code keys}, one result per distinct key in order.
   */
  List<Map<String, Object>> run(
      List<LedgerKey> keys, boolean repair, String actor, String reason, Spend spend)
      throws InterruptedException {
    List<LedgerKey> distinct = List.copyOf(new java.util.LinkedHashSet<>(keys));
    Map<LedgerKey, Map<String, Object>> results = new LinkedHashMap<>();
    List<Expected> expected = expected(distinct, spend, results);
    Map<String, Finding> findings = new ConcurrentHashMap<>();
    Verify verify =
        Verify.builder(
                options.withRepair(repair),
                ledger,
                sink -> {
                  for (Expected e : expected) {
                    if (!sink.accept(e)) {
                      return;
                    }
                  }
                },
                cloudinary,
                s3,
                bucket,
                cloud)
            .documentsOnly()
            .onFinding(f -> findings.put(f.document(), f))
            .build();
    verify.run();
    for (Expected e : expected) {
      LedgerKey key = e.asset().key();
      results.put(key, result(key, findings.get(key.toString()), repair));
    }
    List<Map<String, Object>> ordered = new ArrayList<>();
    for (LedgerKey key : distinct) {
      Map<String, Object> result = results.get(key);
      ledger.trails().recordAction(actor, repair ? REPAIR : REVERIFY, key, outcome(result), reason);
      ordered.add(result);
    }
    return ordered;
  }

  /**
   * What each document should be: its ledger row, else what the Admin API says. Documents in
   * neither get their result now, in {@code results}.
   */
  private List<Expected> expected(
      List<LedgerKey> keys, Spend spend, Map<LedgerKey, Map<String, Object>> results)
      throws InterruptedException {
    spend.ledgerQueries.incrementAndGet();
    Map<LedgerKey, DocumentRecord> rows = new HashMap<>();
    ledger.documents().findAll(keys).forEach(row -> rows.put(row.key(), row));
    List<LedgerKey> unknown = keys.stream().filter(k -> !rows.containsKey(k)).toList();
    Map<LedgerKey, CloudinaryResource> listed = listed(unknown, spend, results);
    List<Expected> expected = new ArrayList<>();
    for (LedgerKey key : keys) {
      DocumentRecord row = rows.get(key);
      CloudinaryResource resource = listed.get(key);
      if (row != null) {
        expected.add(new Expected(row.asset(), row.state() == S3State.DELETED));
      } else if (resource != null) {
        expected.add(Expected.live(asset(key, resource)));
      } else {
        results.putIfAbsent(
            key, failed(key, "unknown", "in neither the ledger nor Cloudinary's Admin API"));
      }
    }
    return expected;
  }

  private Map<LedgerKey, CloudinaryResource> listed(
      List<LedgerKey> unknown, Spend spend, Map<LedgerKey, Map<String, Object>> results)
      throws InterruptedException {
    if (unknown.isEmpty()) {
      return Map.of();
    }
    try {
      return admin
          .fetch(unknown, spend.adminApiCalls::incrementAndGet)
          .get(options.documentTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      String why = "Cloudinary Admin API: " + Upstream.describe(e);
      unknown.forEach(key -> results.put(key, failed(key, "error", why)));
      return Map.of();
    }
  }

  private static CloudinaryAsset asset(LedgerKey key, CloudinaryResource r) {
    return new CloudinaryAsset(key, r.format(), (long) r.version(), r.etag(), (long) r.bytes());
  }

  private static Map<String, Object> result(LedgerKey key, Finding finding, boolean repair) {
    Map<String, Object> m = new HashMap<>();
    m.put("document", key);
    if (finding == null) {
      m.put("consistent", true);
      m.put("repaired", false);
      return m;
    }
    m.put("consistent", finding.kind().differs() ? false : null);
    m.put("finding", finding.kind().tag());
    m.put("detail", finding.detail());
    m.put("repaired", finding.repaired());
    m.put("repair", repair && !finding.repair().isEmpty() ? finding.repair() : null);
    return m;
  }

  private static Map<String, Object> failed(LedgerKey key, String finding, String detail) {
    Map<String, Object> m = new HashMap<>();
    m.put("document", key);
    m.put("consistent", null);
    m.put("finding", finding);
    m.put("detail", detail);
    m.put("repaired", false);
    return m;
  }

  /** The audit event's {@code after}: the result without the document (that is its subject). */
  private static String outcome(Map<String, Object> result) {
    Map<String, Object> copy = new LinkedHashMap<>(result);
    copy.remove("document");
    try {
      return JSON.writeValueAsString(copy);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unserialisable check result", e);
    }
  }
}
