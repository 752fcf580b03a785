package io.docshift.shadow;

import static java.util.Objects.requireNonNull;

import io.docshift.ledger.Ledger;
import java.io.IOException;

/**
 * Where {@code docshift verify} learns which documents should exist: the ledger ({@link #ledger}),
 * or Cloudinary itself through the Admin API listing ({@code --enumerate}, wired by the CLI from
 * the backfill's listing).
 */
public interface Inventory {
  /** Receives documents one by one; returns false to stop the walk. */
  @FunctionalInterface
  interface Sink {
    boolean accept(Expected document) throws InterruptedException;
  }

  /**
   * Hands every expected document to {@code sink}, in pages, until the end or until the sink says
   * stop.
   *
   * @throws IOException when the source cannot be read (after its own retries)
   */
  void forEach(Sink sink) throws IOException, InterruptedException;

  /**
   * Every ledger row whose public id starts with {@code prefix}: tombstones as {@link
   * Expected#tombstone()}, every other state as a document Cloudinary holds. Rows that change state
   * during the walk may be seen in both states or in neither; a later walk sees them again.
   */
  static Inventory ledger(Ledger ledger, String prefix) {
    requireNonNull(ledger, "ledger");
    requireNonNull(prefix, "prefix");
    return new LedgerInventory(ledger.documents(), prefix);
  }
}
