package io.docshift.read;

import static io.docshift.read.LedgerCopies.MD5;
import static io.docshift.read.LedgerCopies.SHA;
import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.core.key.DocumentKey;
import io.docshift.core.metrics.MicrometerMetricsRecorder;
import io.docshift.ledger.Ledger;
import io.docshift.ledger.LedgerKey;
import io.docshift.ledger.LedgerSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The routing cache kept current by the ledger's change feed, with injected time and polls driven
 * by the test (the feed's own period never comes): a row changed by anyone on the ledger is dropped
 * by the next poll, and while polls fail no row older than {@link ChangeFeed#MAX_LAG} answers.
 */
class ChangeFeedTest {
  private static final LedgerKey ROW = LedgerCopies.row("scans/a");
  private static final DocumentKey DOC = LedgerCopies.image("scans/a", "png");

  private final LedgerCopies fx = new LedgerCopies();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final Ledger ledger = fx.ledger;
  private Ledger feedLedger;
  private ChangeFeed feed;

  @BeforeEach
  void open() {
    // The feed reads through a pool of its own, so a test can break its reads alone.
    feedLedger = Ledger.open(LedgerSettings.builder(fx.url).build());
    feed =
        ChangeFeed.start(
            feedLedger.changes(),
            fx.copies,
            Duration.ofHours(1),
            new MicrometerMetricsRecorder(registry));
  }

  @AfterEach
  void close() {
    feed.close();
    feedLedger.close();
    fx.close();
  }

  @Test
  void aSettleAndAMismatchMadeElsewhereReachTheCacheOnTheNextPoll() throws Exception {
    listed();
    assertThat(servable()).isFalse();
    ledger.documents().markCopiedAndVerified(ROW, 7, MD5, SHA); // e.g. a backfill elsewhere
    assertThat(servable()).as("cached until the feed says otherwise").isFalse();

    feed.poll();
    assertThat(servable()).isTrue();

    ledger.documents().markMismatch(ROW, "verify: checksum differs", null, null);
    feed.poll();
    assertThat(servable()).isFalse();
    assertThat(fx.lookups).hasValue(3);
    assertThat(failedPolls()).isZero();
  }

  /*
   * The two tests below cache an unverified row, whose listing is not announced: every poll within
   * the feed's look-back re-reads a recent announcement and drops its key again, which would hide
   * what they measure.
   */

  @Test
  void whileTheFeedKeepsUpRowsStayCachedForTheTtl() throws Exception {
    listed();
    assertThat(servable()).isFalse();

    advance(Duration.ofSeconds(3));
    feed.poll();
    advance(Duration.ofMillis(1_900));
    feed.poll();
    assertThat(servable()).isFalse();
    assertThat(fx.lookups).as("4.9 s old, trusted: the feed vouches for it").hasValue(1);
    assertThat(failedPolls()).isZero();
  }

  @Test
  void whileTheFeedFailsNoRowOlderThanTheBoundAnswers() throws Exception {
    listed();
    assertThat(servable()).isFalse();
    feed.poll();
    feedLedger.close(); // the feed's ledger is gone; the rows' ledger still answers

    feed.poll();
    ledger.documents().markCopiedAndVerified(ROW, 7, MD5, SHA); // e.g. a backfill elsewhere
    advance(ChangeFeed.MAX_LAG.minusMillis(1));
    feed.poll();
    assertThat(servable()).as("within the bound the old row may still answer").isFalse();
    assertThat(fx.lookups).hasValue(1);

    advance(Duration.ofMillis(1));
    assertThat(servable()).as("older than the bound: read again").isTrue();
    assertThat(fx.lookups).hasValue(2);
    assertThat(failedPolls()).isEqualTo(2);
  }

  private void listed() {
    fx.listed("scans/a", "png");
  }

  private boolean servable() throws Exception {
    return fx.servable(DOC);
  }

  private void advance(Duration by) {
    fx.advance(by);
  }

  private long failedPolls() {
    return (long) registry.get(MicrometerMetricsRecorder.CHANGE_FEED_FAILURES).counter().count();
  }
}
