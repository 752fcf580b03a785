package io.docshift.backfill;

import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the ledger's query plans in step with a listing that fills it in bulk. PostgreSQL plans
 * claims from statistics autovacuum refreshes only now and then, so a ledger the listing grew from
 * empty to 200 k rows was claimed ten times slower until then. Once the rows this run inserted
 * reach a tenth of the table as last analysed (at least 1,000, at most 10,000 rows), the documents
 * table is analysed once ({@code Ledger#analyzeDocuments}, a no-op on H2), and counting starts
 * again. A failed analysis is logged and the listing goes on. Used by the listing's one thread.
 */
final class ListingStatistics {
  private static final Logger LOG = LoggerFactory.getLogger(ListingStatistics.class);
  static final long MIN_ROWS = 1_000;
  static final long MAX_ROWS = 10_000;

  private final LongSupplier rows;
  private final BooleanSupplier analyze;
  private long analysedRows = -1;
  private long inserted;

  /**
   * @param rows counts the table's rows (asked once, at the first page, before its rows count)
   * @param analyze refreshes the statistics; returns whether it did (false on H2)
   */
  ListingStatistics(LongSupplier rows, BooleanSupplier analyze) {
    this.rows = rows;
    this.analyze = analyze;
  }

  /**
   * The listing inserted {@code rows} new rows (already committed); analyses the table when they
   * are enough.
   */
  void inserted(long count) {
    if (analysedRows < 0) {
      analysedRows = Math.max(0, tableRows() - count);
    }
    inserted += count;
    long threshold = Math.min(MAX_ROWS, Math.max(MIN_ROWS, analysedRows / 10));
    if (inserted < threshold) {
      return;
    }
    analysedRows += inserted;
    long added = inserted;
    inserted = 0;
    try {
      if (analyze.getAsBoolean()) {
        LOG.info("ledger statistics refreshed: the listing added {} rows", added);
      }
    } catch (RuntimeException e) {
      LOG.warn("ledger statistics not refreshed after {} listed rows: {}", added, e.toString());
    }
  }

  private long tableRows() {
    try {
      return rows.getAsLong();
    } catch (RuntimeException e) {
      return 0; // counted as an empty table: the first analysis comes sooner, never later
    }
  }
}
