package io.docshift.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The change feed is written by the row changes themselves: every change of what a reader may be
 * served is announced in its own transaction (so a failed announcement undoes the change), and
 * nothing else costs a feed row.
 */
abstract class ChangesContract extends LedgerFixture {
  private static final String MD5 = "0cc175b9c0f1b6a831c399e269772661";
  private static final String SHA =
      "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb";
  private static final String OTHER_MD5 = "92eb5ffee6ae2fec3ad71c777531578f";

  private Documents docs() {
    return ledger.documents();
  }

  /** The keys announced since {@code cursor}, in order. */
  private List<LedgerKey> announcedAfter(long cursor) {
    return ledger.changes().after(cursor, 0).keys().stream().toList();
  }

  private void copied(String id) {
    docs().upsert(asset(id, 100, MD5), UpsertOrigin.LISTING);
    assertThat(docs().markCopied(key(id), 100, MD5, SHA)).isEqualTo(Transition.APPLIED);
  }

  @Test
  void aSettleToVerifiedIsAnnouncedOnceAndTheStepsBeforeItAreNot() {
    long head = ledger.changes().head();
    docs().upsert(asset("a", 100, MD5), UpsertOrigin.LISTING);
    docs().claimBatch("worker", Duration.ofMinutes(1), 10, Set.of(S3State.ABSENT));
    docs().markCopied(key("a"), 100, MD5, SHA);
    assertThat(announcedAfter(head)).as("nothing a reader is served changed").isEmpty();

    assertThat(docs().markVerified(key("a"), 100, MD5, SHA)).isEqualTo(Transition.APPLIED);
    assertThat(docs().markVerified(key("a"), 100, MD5, SHA)).isEqualTo(Transition.ALREADY);

    assertThat(announcedAfter(head)).containsExactly(key("a"));
  }

  @Test
  void everyWayOutOfVerifiedIsAnnounced() {
    docs().recordWrite(asset("mismatch", 100, MD5), MD5, SHA);
    docs().recordWrite(asset("deleted", 100, MD5), MD5, SHA);
    docs().recordWrite(asset("newer", 100, MD5), MD5, SHA);
    docs().recordWrite(asset("moved", 100, MD5), MD5, SHA);
    docs().recordWrite(asset("rewritten", 100, MD5), MD5, SHA);
    long head = ledger.changes().head();

    docs().markMismatch(key("mismatch"), "verify: checksum differs", OTHER_MD5, null);
    docs().markAllDeleted(List.of(key("deleted")), false, "bulk");
    docs().upsert(asset("newer", 200, OTHER_MD5), UpsertOrigin.LISTING);
    docs().move(key("moved"), asset("moved-to", 100, MD5), "rename");
    docs().recordWrite(asset("rewritten", 200, OTHER_MD5), OTHER_MD5, SHA);

    assertThat(announcedAfter(head))
        .containsExactly(
            key("mismatch"), key("deleted"), key("newer"), key("moved"), key("rewritten"));
  }

  @Test
  void unverifiedRowsChangeWithoutAnnouncement() {
    copied("copied");
    long head = ledger.changes().head();

    docs().markMismatch(key("copied"), "shadow: differs", OTHER_MD5, null);
    docs().markDeleted(key("copied"), "destroyed");
    docs().markDeleted(key("never-seen"), "destroyed");

    assertThat(announcedAfter(head)).isEmpty();
  }

  @Test
  void aFailedAnnouncementRollsTheRowChangeBack() throws SQLException {
    copied("a");
    long head = ledger.changes().head();
    execute("ALTER TABLE document_changes RENAME TO document_changes_away");
    try {
      assertThatThrownBy(() -> docs().markVerified(key("a"), 100, MD5, SHA))
          .isInstanceOf(LedgerException.class);
      assertThat(docs().find(key("a")).orElseThrow().state()).isEqualTo(S3State.COPIED);
    } finally {
      execute("ALTER TABLE document_changes_away RENAME TO document_changes");
    }
    assertThat(announcedAfter(head)).isEmpty();

    assertThat(docs().markVerified(key("a"), 100, MD5, SHA)).isEqualTo(Transition.APPLIED);
    assertThat(announcedAfter(head)).containsExactly(key("a"));
  }

  /**
   * The cost of announcing: a settle to verified is the row's locking read, its update and one feed
   * insert, plus the two document counters it moves (copied, verified); a lease claim stays two
   * statements per row (no insert, and no counter: the state does not change).
   */
  @Test
  void aSettleCostsOneStatementMoreAndAClaimNone() {
    copied("warm");
    docs().markVerified(key("warm"), 100, MD5, SHA); // the counters' rows now exist
    copied("settled");
    docs().upsert(asset("claimed", 100, MD5), UpsertOrigin.LISTING);
    CountingDataSource counting = new CountingDataSource(ledger.dataSource());
    AtomicInteger statements = counting.statements;
    Documents counted = new Documents(new Jdbc(counting.dataSource(), clock));

    counted.markVerified(key("settled"), 100, MD5, SHA);
    int settle = statements.getAndSet(0);
    counted.claimBatch("worker", Duration.ofMinutes(1), 1, Set.of(S3State.ABSENT));
    int claim = statements.get();

    System.out.printf("statements: settle to verified %d, claim of one row %d%n", settle, claim);
    assertThat(settle).isEqualTo(5);
    // Pick the ids, lock them, lease the row: none of them for the change feed.
    assertThat(claim).isEqualTo(3);
  }

  private void execute(String sql) throws SQLException {
    try (Connection c = ledger.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
