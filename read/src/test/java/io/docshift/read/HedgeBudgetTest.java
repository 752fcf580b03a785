package io.docshift.read;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The hedge budget: a share of the reads of the last ten seconds, on an injected ticker. */
class HedgeBudgetTest {
  private static final long SECOND = 1_000_000_000L;
  private final AtomicLong now = new AtomicLong(-7 * SECOND); // nanoTime may be negative

  @Test
  void fivePercentAllowsOneHedgeInTwentyReads() {
    HedgeBudget budget = new HedgeBudget(5, now::get);
    for (int i = 0; i < 19; i++) {
      budget.read();
    }
    assertThat(budget.tryHedge()).as("19 reads").isFalse();
    budget.read();
    assertThat(budget.tryHedge()).as("20 reads").isTrue();
    assertThat(budget.tryHedge()).as("a second in 20 reads").isFalse();
    for (int i = 0; i < 20; i++) {
      budget.read();
    }
    assertThat(budget.tryHedge()).as("40 reads").isTrue();
  }

  @Test
  void readsAndHedgesLeaveTheWindowAfterTenSeconds() {
    HedgeBudget budget = new HedgeBudget(50, now::get);
    budget.read();
    budget.read();
    assertThat(budget.tryHedge()).isTrue();
    assertThat(budget.tryHedge()).as("spent").isFalse();
    now.addAndGet(9 * SECOND);
    assertThat(budget.tryHedge()).as("still in the window").isFalse();
    now.addAndGet(SECOND);
    budget.read();
    assertThat(budget.tryHedge())
        .as("the old second left; one read is not enough at 50 %")
        .isFalse();
    budget.read();
    assertThat(budget.tryHedge()).isTrue();
  }

  @Test
  void aLongPauseForgetsEverything() {
    HedgeBudget budget = new HedgeBudget(100, now::get);
    for (int i = 0; i < 5; i++) {
      budget.read();
    }
    now.addAndGet(1_000 * SECOND);
    assertThat(budget.tryHedge()).isFalse();
    budget.read();
    assertThat(budget.tryHedge()).isTrue();
  }

  @Test
  void zeroPercentNeverHedges() {
    HedgeBudget budget = new HedgeBudget(0, now::get);
    for (int i = 0; i < 1_000; i++) {
      budget.read();
    }
    assertThat(budget.tryHedge()).isFalse();
  }
}
