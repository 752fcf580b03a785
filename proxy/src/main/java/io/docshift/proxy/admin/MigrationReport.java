package io.docshift.proxy.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docshift.ledger.Ledger;
import io.docshift.ledger.OutboxStats;
import io.docshift.ledger.S3State;
import java.util.Locale;
import java.util.Map;

/** {@code GET /admin/migration}: documents per S3 state and the repair outbox, from the ledger. */
final class MigrationReport {
  private final Ledger ledger;

  MigrationReport(Ledger ledger) {
    this.ledger = ledger;
  }

  ObjectNode report() {
    Map<S3State, Long> counts = ledger.documents().countByState();
    OutboxStats outbox = ledger.outbox().stats();
    ObjectNode json = AdminResponse.mapper().createObjectNode();
    ObjectNode documents = json.putObject("documents");
    long total = 0;
    for (S3State state : S3State.values()) {
      long count = counts.getOrDefault(state, 0L);
      documents.put(state.name().toLowerCase(Locale.ROOT), count);
      total += count;
    }
    json.put("total", total);
    long verified = counts.getOrDefault(S3State.VERIFIED, 0L);
    json.put("verifiedPercent", total == 0 ? 0.0 : Math.round(1000.0 * verified / total) / 10.0);
    ObjectNode repairs = json.putObject("outbox");
    repairs.put("depth", outbox.depth());
    repairs.put("oldestAgeSeconds", outbox.oldestAge().toSeconds());
    return json;
  }
}
