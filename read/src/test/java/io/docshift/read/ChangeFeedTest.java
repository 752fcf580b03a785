package io.docshift.read;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.core.key.DeliveryType;
import io.docshift.core.key.DocumentKey;
import io.docshift.core.key.ResourceType;
import io.docshift.core.metrics.MicrometerMetricsRecorder;
import io.docshift.ledger.CloudinaryAsset;
import io.docshift.ledger.Ledger;
import io.docshift.ledger.LedgerKey;
import io.docshift.ledger.LedgerSettings;
import io.docshift.ledger.UpsertOrigin;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The routing cache kept current by the ledger's change feed, with injected time and polls driven
 * by the test (the feed's own period never comes): a row changed by anyone on the ledger is dropped
 * by the next poll, and while polls fail no row older than {@link ChangeFeed#MAX_LAG} answers.
 */
class ChangeFeedTest {
  private static final String MD5 = "0123456789abcdef0123456789abcdef";
  private static final String SHA = "0123456789abcdef".repeat(4);
  private static final LedgerKey ROW = new LedgerKey("demo", "image", "upload", "scans/a");
  private static final DocumentKey DOC =
      DocumentKey.of("demo", ResourceType.IMAGE, DeliveryType.UPLOAD, "scans/a", "png");

  private final String url = "jdbc:h2:mem:feed-" + UUID.randomUUID();
  private final AtomicLong nanos = new AtomicLong();
  private final AtomicInteger lookups = new AtomicInteger();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private Ledger ledger;
  private Ledger feedLedger;
  private VerifiedCopies copies;
  private ChangeFeed feed;

  @BeforeEach
  void open() {
    ledger = Ledger.open(LedgerSettings.builder(url).build());
    // The feed reads through a pool of its own, so a test can break its reads alone.
    feedLedger = Ledger.open(LedgerSettings.builder(url).build());
    copies =
        VerifiedCopies.create(
            key -> {
              lookups.incrementAndGet();
              return ledger.documents().find(key);
            },
            Runnable::run,
            Duration.ofSeconds(5),
            100,
            nanos::get);
    feed =
        ChangeFeed.start(
            feedLedger.changes(),
            copies,
            Duration.ofHours(1),
            new MicrometerMetricsRecorder(registry));
  }

  @AfterEach
  void close() {
    feed.close();
    feedLedger.close();
    ledger.close();
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
    assertThat(lookups).hasValue(3);
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
    assertThat(lookups).as("4.9 s old, trusted: the feed vouches for it").hasValue(1);
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
    assertThat(lookups).hasValue(1);

    advance(Duration.ofMillis(1));
    assertThat(servable()).as("older than the bound: read again").isTrue();
    assertThat(lookups).hasValue(2);
    assertThat(failedPolls()).isEqualTo(2);
  }

  private void listed() {
    ledger.documents().upsert(new CloudinaryAsset(ROW, "png", 7, MD5, 10), UpsertOrigin.LISTING);
  }

  private boolean servable() throws Exception {
    return copies.servable(DOC).get(5, TimeUnit.SECONDS);
  }

  private void advance(Duration by) {
    nanos.addAndGet(by.toNanos());
  }

  private long failedPolls() {
    return (long) registry.get(MicrometerMetricsRecorder.CHANGE_FEED_FAILURES).counter().count();
  }
}
