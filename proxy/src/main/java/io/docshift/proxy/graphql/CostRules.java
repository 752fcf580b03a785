package io.docshift.proxy.graphql;

import java.util.Map;

/**
 * The cost model and its limits. A field's weight says what it spends upstream: ledger-backed
 * fields 1 (a document's history, three ledger reads, 3), an S3 HEAD 2, the Cloudinary Admin API
 * (rate-limited per hour, shared with the backfill) 3, the consistency verdict (both stores) 5, a
 * traffic mutation 10, {@code reverify} 5 and {@code repair} 10 per document. A query's cost is the
 * sum of its fields' weights, each multiplied by the {@code first} (or the number of documents) of
 * every field above it: the most the query can spend, known before it runs. S3 metadata of several
 * documents may come from {@code ListObjectsV2} pages instead of HEADs: each field that can read S3
 * for three or more documents ({@code s3}, {@code consistent}) adds the most LISTs one batch may
 * make, {@value #S3_LIST} each, on top of its per-document HEAD weight (a HEAD is what a key the
 * listing missed still costs); not when the query asks {@code checksum} or {@code version}, which
 * only HEADs answer, so nothing is listed.
 *
 * @param maxCost the most one query may cost
 * @param maxDepth the deepest field nesting one query may have (introspection not counted)
 * @param maxFirst the largest {@code first} on a connection
 * @param budget how many cost points a caller may hold (the bucket's size)
 * @param refillPerSecond points returned to each caller's bucket per second
 */
public record CostRules(
    int maxCost, int maxDepth, int maxFirst, long budget, double refillPerSecond) {
  /** 100 documents with every field fit one query; a full bucket holds five such queries. */
  public static final CostRules DEFAULTS = new CostRules(1500, 8, 100, 7500, 25.0);

  /** The weight of one S3 {@code ListObjectsV2} call, as of one HEAD. */
  static final int S3_LIST = 2;

  private static final Map<String, Integer> WEIGHTS =
      Map.ofEntries(
          Map.entry("Query.document", 1),
          Map.entry("Query.documents", 1),
          Map.entry("Query.migration", 2),
          Map.entry("Query.traffic", 1),
          Map.entry("Query.audit", 1),
          Map.entry("Query.mismatches", 1),
          Map.entry("Query.workers", 1),
          Map.entry("Query.recentOutcomes", 1),
          Map.entry("Mutation.setTraffic", 10),
          Map.entry("Mutation.resumeTraffic", 10),
          Map.entry("Mutation.reverify", 5),
          Map.entry("Mutation.repair", 10),
          Map.entry("Migration.byFolder", 2),
          Map.entry("Migration.history", 1),
          Map.entry("Migration.ratePerSecond", 1),
          Map.entry("Migration.eta", 1),
          Map.entry("Migration.etaSeconds", 1),
          Map.entry("Document.history", 3),
          Map.entry("Document.mismatches", 1),
          Map.entry("Document.repairs", 1),
          Map.entry("Document.state", 1),
          Map.entry("Document.ledger", 1),
          Map.entry("Document.servedFrom", 1),
          Map.entry("Document.s3", 2),
          Map.entry("Document.cloudinary", 3),
          Map.entry("Document.consistent", 5));

  /** Validates the limits. */
  public CostRules {
    if (maxCost < 1 || maxDepth < 1 || maxFirst < 1 || budget < maxCost || refillPerSecond <= 0) {
      throw new IllegalArgumentException(
          "cost rules: maxCost, maxDepth, maxFirst >= 1, budget >= maxCost, refill > 0");
    }
  }

  /** The weight of {@code type.field}; 0 for plain values read from an already-loaded parent. */
  static int weight(String type, String field) {
    return WEIGHTS.getOrDefault(type + "." + field, 0);
  }
}
