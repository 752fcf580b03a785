package io.docshift.proxy.graphql;

import io.docshift.ledger.DocumentRecord;
import java.util.HashMap;
import java.util.Map;

/** A ledger row as the schema's {@code LedgerRow}. */
final class LedgerRows {
  private LedgerRows() {}

  static Map<String, Object> map(DocumentRecord row) {
    Map<String, Object> m = new HashMap<>();
    m.put("format", row.asset().format());
    m.put("version", (double) row.asset().version());
    m.put("etag", row.asset().etag());
    m.put("bytes", (double) row.asset().bytes());
    m.put("s3Version", row.s3().version() == null ? null : row.s3().version().doubleValue());
    m.put("s3Md5", row.s3().md5());
    m.put("s3Sha256", row.s3().sha256());
    m.put("lastError", row.lastError());
    m.put("attempts", row.attempts());
    m.put("createdAt", row.createdAt().toString());
    m.put("updatedAt", row.updatedAt().toString());
    return m;
  }
}
