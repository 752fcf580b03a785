package io.docshift.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** When a listing that fills the ledger in bulk has the documents table analysed. */
class ListingStatisticsTest {
  private final AtomicInteger analyses = new AtomicInteger();

  private ListingStatistics statistics(long rowsAtFirstPage) {
    return new ListingStatistics(
        () -> rowsAtFirstPage,
        () -> {
          analyses.incrementAndGet();
          return true;
        });
  }

  /** The pages at which an analysis ran, for pages of {@code pageRows} new rows each. */
  private List<Integer> analysedAfter(ListingStatistics statistics, int pages, int pageRows) {
    List<Integer> at = new ArrayList<>();
    for (int page = 1; page <= pages; page++) {
      int before = analyses.get();
      statistics.inserted(pageRows);
      if (analyses.get() > before) {
        at.add(page);
      }
    }
    return at;
  }

  @Test
  void aListingIntoAnEmptyLedgerIsAnalysedEveryThousandRowsWhileTheTableIsSmall() {
    // The first page's 500 rows are already in the table when it is counted.
    assertThat(analysedAfter(statistics(500), 6, 500)).containsExactly(2, 4, 6);
  }

  @Test
  void aLargeTableIsAnalysedWhenTheListingAddedATenthOfIt() {
    assertThat(analysedAfter(statistics(40_000 + 500), 20, 500)).containsExactly(8, 17);
  }

  @Test
  void aHugeTableIsAnalysedEveryTenThousandRows() {
    assertThat(analysedAfter(statistics(2_000_000 + 500), 40, 500)).containsExactly(20, 40);
  }

  @Test
  void pagesOfKnownDocumentsCountNothing() {
    assertThat(analysedAfter(statistics(100), 100, 0)).isEmpty();
  }

  @Test
  void aFailedAnalysisIsLoggedAndTheListingGoesOn() {
    AtomicInteger tries = new AtomicInteger();
    ListingStatistics failing =
        new ListingStatistics(
            () -> 0,
            () -> {
              tries.incrementAndGet();
              throw new IllegalStateException("ledger gone");
            });

    failing.inserted(1_000);
    failing.inserted(1_000);

    assertThat(tries).hasValue(2);
  }
}
