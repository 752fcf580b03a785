package io.docshift.core.write;

import io.docshift.core.ledger.LedgerKey;
import java.util.function.Consumer;

/**
 * Tells this instance's read cache that a document's ledger row changed (tombstoned or moved), so
 * the next read consults the ledger instead of a cached "verified". Set once the read path is
 * composed; until then nothing is cached, so nothing needs forgetting.
 */
final class ForgetReads implements Consumer<LedgerKey> {
  private volatile Consumer<LedgerKey> target = key -> {};

  void target(Consumer<LedgerKey> cache) {
    this.target = cache;
  }

  @Override
  public void accept(LedgerKey key) {
    target.accept(key);
  }
}
