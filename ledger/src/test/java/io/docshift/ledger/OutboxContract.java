package io.docshift.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.core.retry.Backoff;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** Enqueue, claim, complete and retry on the {@link RepairOutbox}. */
abstract class OutboxContract extends LedgerFixture {
  private static final Duration VISIBILITY = Duration.ofSeconds(30);
  private static final String MD5 = "0123456789abcdef0123456789abcdef";
  private static final String SHA = "ab".repeat(32);

  RepairOutbox outbox() {
    return ledger.outbox();
  }

  @Test
  void anEnqueuedRepairIsDueNowAndClaimedOnce() {
    outbox().enqueue(key("a"), RepairOperation.PUT, "s3 put timed out");

    List<RepairTask> claimed = outbox().claim("drainer-1", VISIBILITY, 10);
    assertThat(claimed)
        .singleElement()
        .satisfies(
            task -> {
              assertThat(task.key()).isEqualTo(key("a"));
              assertThat(task.operation()).isEqualTo(RepairOperation.PUT);
              assertThat(task.reason()).isEqualTo("s3 put timed out");
              assertThat(task.attempts()).isZero();
              assertThat(task.createdAt()).isEqualTo(START);
              assertThat(task.nextAttemptAt()).isEqualTo(START.plus(VISIBILITY));
            });
    assertThat(outbox().claim("drainer-2", VISIBILITY, 10)).isEmpty();

    clock.advance(VISIBILITY);
    assertThat(outbox().claim("drainer-2", VISIBILITY, 10)).hasSize(1);
  }

  @Test
  void aRowWaitsWhileAnotherRowOfItsDocumentIsClaimedElsewhere() {
    outbox().enqueue(key("a"), RepairOperation.PUT, "renamed here");
    RepairTask put = outbox().claim("drainer-1", VISIBILITY, 10).get(0);
    outbox().enqueue(key("a"), RepairOperation.CLOUDINARY_PUT, "cloudinary write failed");
    outbox().enqueue(key("b"), RepairOperation.PUT, "another document");

    assertThat(outbox().claim("drainer-2", VISIBILITY, 10))
        .extracting(RepairTask::key)
        .containsExactly(key("b"));

    assertThat(outbox().complete(put)).isTrue();
    assertThat(outbox().claim("drainer-2", VISIBILITY, 10))
        .extracting(RepairTask::operation)
        .containsExactly(RepairOperation.CLOUDINARY_PUT);
  }

  /**
   * Bug: two drainers claiming at the same instant could each take a row of one document, since the
   * check that skips a document another drainer holds saw that claim only once it was committed.
   * Drainer 1's claim is held open (claimed, not committed) while drainer 2 claims on another
   * ledger instance: drainer 2 must not take the document's other row; it waits for the open claim
   * (at most the time allowed here, then the claim is committed) and then skips it.
   */
  @Test
  void twoDrainersClaimingAtTheSameInstantNeverTakeTwoRowsOfOneDocument() throws Exception {
    Ledger other = open();
    LedgerKey doc = key("race");
    outbox().enqueue(doc, RepairOperation.PUT, "renamed here");
    outbox().enqueue(doc, RepairOperation.CLOUDINARY_PUT, "cloudinary write failed");
    ExecutorService drainer2 = Executors.newSingleThreadExecutor();
    try (Connection open = ledger.dataSource().getConnection()) {
      open.setAutoCommit(false);
      List<RepairTask> first = outbox().claim(open, "drainer-1", VISIBILITY, 1);
      Future<List<RepairTask>> second =
          drainer2.submit(() -> other.outbox().claim("drainer-2", VISIBILITY, 10));
      try {
        // Without the turn-taking, drainer 2 answers at once, with the other row.
        second.get(1, TimeUnit.SECONDS);
      } catch (TimeoutException waitingForTheOpenClaim) {
        // expected: drainer 2 waits for drainer 1's claim
      }
      open.commit();
      assertThat(first).extracting(RepairTask::operation).containsExactly(RepairOperation.PUT);
      assertThat(second.get(30, TimeUnit.SECONDS)).as("drainer 2").isEmpty();
    } finally {
      drainer2.shutdownNow();
    }
  }

  @Test
  void theSameRepairIsQueuedOncePerOperation() {
    outbox().enqueue(key("a"), RepairOperation.PUT, "first");
    outbox().enqueue(key("a"), RepairOperation.PUT, "second");
    outbox().enqueue(key("a"), RepairOperation.DELETE, "destroyed");

    List<RepairTask> claimed = outbox().claim("d", VISIBILITY, 10);
    assertThat(claimed)
        .extracting(RepairTask::operation, RepairTask::reason, RepairTask::revision)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(RepairOperation.PUT, "second", 1),
            org.assertj.core.groups.Tuple.tuple(RepairOperation.DELETE, "destroyed", 0));
    assertThat(outbox().stats().depth()).isEqualTo(2);
  }

  @Test
  void queuedTellsWhetherARepairOfThatKindWaitsForTheDocument() {
    outbox().enqueue(key("a"), RepairOperation.CLOUDINARY_PUT, "secondary failed");
    outbox().enqueue(key("b"), RepairOperation.PUT, "read fallback");

    assertThat(outbox().queued(key("a"), RepairOperation.CLOUDINARY_PUT)).isTrue();
    assertThat(outbox().queued(key("a"), RepairOperation.PUT)).isFalse();
    assertThat(outbox().queued(key("b"), RepairOperation.CLOUDINARY_PUT)).isFalse();
    RepairTask claimed = outbox().claim("d", VISIBILITY, 10).get(0);
    assertThat(outbox().queued(claimed.key(), claimed.operation()))
        .as("a claimed row is still queued")
        .isTrue();
    outbox().complete(claimed);
    assertThat(outbox().queued(claimed.key(), claimed.operation())).isFalse();
  }

  @Test
  void completeRemovesTheRow() {
    outbox().enqueue(key("a"), RepairOperation.PUT, "r");
    RepairTask task = outbox().claim("d", VISIBILITY, 1).get(0);

    assertThat(outbox().complete(task)).isTrue();
    assertThat(outbox().stats()).isEqualTo(new OutboxStats(0, Duration.ZERO));
  }

  @Test
  void releaseGivesBackOnlyTheRowsTheStoppingOwnerStillHolds() {
    outbox().enqueue(key("a"), RepairOperation.PUT, "r");
    outbox().enqueue(key("b"), RepairOperation.PUT, "r");
    outbox().enqueue(key("c"), RepairOperation.PUT, "r");
    RepairTask done = outbox().claim("stopping", VISIBILITY, 1).get(0);
    outbox().claim("stopping", VISIBILITY, 1);
    outbox().claim("other", VISIBILITY, 1);
    outbox().complete(done);

    assertThat(outbox().release("stopping")).isEqualTo(1);

    assertThat(outbox().claim("next", VISIBILITY, 10))
        .as("due now, not after the visibility timeout")
        .singleElement()
        .satisfies(task -> assertThat(task.key()).isEqualTo(key("b")));
    assertThat(outbox().release("stopping")).isZero();
    assertThat(outbox().stats().depth()).isEqualTo(2);
  }

  @Test
  void aRepairQueuedAgainWhileInFlightSurvivesCompletion() {
    outbox().enqueue(key("a"), RepairOperation.PUT, "first write failed");
    RepairTask inFlight = outbox().claim("d", VISIBILITY, 1).get(0);
    outbox().enqueue(key("a"), RepairOperation.PUT, "second write failed");

    assertThat(outbox().complete(inFlight)).isFalse();
    assertThat(outbox().claim("d", VISIBILITY, 1))
        .singleElement()
        .satisfies(t -> assertThat(t.reason()).isEqualTo("second write failed"));
  }

  @Test
  void retryBacksOffExponentiallyWithJitter() {
    outbox().enqueue(key("a"), RepairOperation.PUT, "r");
    RepairTask task = outbox().claim("d", VISIBILITY, 1).get(0);

    // initial 2 s, 50 % jitter at random 0.5 takes a quarter off: 1.5 s, then 3 s, 6 s ...
    RepairTask retried = outbox().retry(task, "503 from S3");
    assertThat(retried.attempts()).isEqualTo(1);
    assertThat(retried.nextAttemptAt()).isEqualTo(START.plusMillis(1500));
    assertThat(retried.lastError()).isEqualTo("503 from S3");
    clock.advance(Duration.ofMillis(1499));
    assertThat(outbox().claim("d", VISIBILITY, 1)).isEmpty();

    clock.advance(Duration.ofMillis(1));
    RepairTask again = outbox().claim("d", VISIBILITY, 1).get(0);
    assertThat(again.attempts()).isEqualTo(1);
    assertThat(again.lastError()).isEqualTo("503 from S3");
    assertThat(outbox().retry(again, "503").nextAttemptAt())
        .isEqualTo(START.plusMillis(1500 + 3000));
  }

  @Test
  void statsReportDepthAndTheOldestAge() {
    outbox().enqueue(key("a"), RepairOperation.PUT, "r");
    clock.advance(Duration.ofMinutes(3));
    outbox().enqueue(key("b"), RepairOperation.DELETE, "r");
    clock.advance(Duration.ofMinutes(2));

    assertThat(outbox().stats()).isEqualTo(new OutboxStats(2, Duration.ofMinutes(5)));
  }

  @Test
  void anIntentIsHiddenForItsGraceAndGoneOnceSettled() {
    RepairTicket ticket =
        outbox().intend(key("a"), RepairOperation.PUT, "dual-write", Duration.ofMinutes(1));

    assertThat(outbox().claim("d", VISIBILITY, 10)).isEmpty();
    assertThat(outbox().stats().depth()).isEqualTo(1);
    assertThat(outbox().settle(ticket)).isTrue();
    assertThat(outbox().stats().depth()).isZero();
  }

  @Test
  void intentsOfSeveralDocumentsAreOneTransactionAndSettleOneByOne() {
    outbox().intend(key("b"), RepairOperation.DELETE, "another writer", Duration.ofMinutes(1));
    CountingDataSource counting = new CountingDataSource(ledger.dataSource());
    RepairOutbox counted =
        new RepairOutbox(
            new Jdbc(counting.dataSource(), clock),
            new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5), 0, new Random(1)));

    Map<LedgerKey, RepairTicket> tickets =
        counted.intendAll(
            List.of(key("a"), key("b")), RepairOperation.DELETE, "delete", Duration.ofMinutes(1));

    assertThat(counting.connections).as("connections borrowed").hasValue(1);
    assertThat(tickets).containsOnlyKeys(key("a"), key("b"));
    assertThat(tickets.get(key("b")).shared()).as("b's row was there").isTrue();
    assertThat(outbox().claim("d", VISIBILITY, 10)).as("still within their grace").isEmpty();
    assertThat(outbox().settle(tickets.get(key("a")))).isTrue();
    assertThat(outbox().settle(tickets.get(key("b")))).as("shared: left due now").isFalse();
    assertThat(outbox().claim("d", VISIBILITY, 10))
        .singleElement()
        .satisfies(t -> assertThat(t.key()).isEqualTo(key("b")));
  }

  @Test
  void anIntentMadeDueNowIsClaimedAtOnceWithItsNewReason() {
    RepairTicket ticket =
        outbox().intend(key("a"), RepairOperation.PUT, "rename", Duration.ofMinutes(1));
    assertThat(outbox().claim("d", VISIBILITY, 10)).as("within its grace").isEmpty();

    outbox().dueNow(ticket, "renamed from x");

    assertThat(outbox().claim("d", VISIBILITY, 10))
        .singleElement()
        .satisfies(t -> assertThat(t.reason()).isEqualTo("renamed from x"));
  }

  @Test
  void aRecordedWriteSettlesItsIntentInTheSameTransaction() {
    RepairTicket ticket =
        outbox().intend(key("a"), RepairOperation.PUT, "dual-write", Duration.ofMinutes(1));

    assertThat(recordedWrite(100, ticket)).isEqualTo(Transition.APPLIED);
    assertThat(ledger.documents().find(key("a")).orElseThrow().state()).isEqualTo(S3State.VERIFIED);
    assertThat(outbox().stats().depth()).isZero();
  }

  @Test
  void aWriteTheLedgerRefusesLeavesItsIntentForTheWriterToFail() {
    ledger.documents().recordWrite(asset("a", 200, MD5), MD5, SHA);
    RepairTicket ticket =
        outbox().intend(key("a"), RepairOperation.PUT, "dual-write", Duration.ofMinutes(1));

    assertThat(recordedWrite(100, ticket)).isEqualTo(Transition.STALE_VERSION);
    assertThat(outbox().stats().depth()).isEqualTo(1);
    assertThat(outbox().claim("d", VISIBILITY, 10)).as("still within its grace").isEmpty();
  }

  @Test
  void aRecordedWriteOfOverlappingWritersLeavesTheRowDueNow() {
    outbox().intend(key("a"), RepairOperation.PUT, "write 1", Duration.ofMinutes(1));
    RepairTicket second =
        outbox().intend(key("a"), RepairOperation.PUT, "write 2", Duration.ofMinutes(1));

    assertThat(recordedWrite(100, second)).isEqualTo(Transition.APPLIED);
    assertThat(outbox().claim("d", VISIBILITY, 10))
        .singleElement()
        .satisfies(t -> assertThat(t.key()).isEqualTo(key("a")));
  }

  @Test
  void aWritesRowReadAndIntentAreOneTransaction() {
    ledger.documents().recordWrite(asset("a", 100, MD5), MD5, SHA);
    CountingDataSource counting = new CountingDataSource(ledger.dataSource());
    Documents counted = new Documents(new Jdbc(counting.dataSource(), clock));

    WriteStart start =
        counted.startWrite(key("a"), outbox(), key("a"), "dual-write", Duration.ofMinutes(1));

    assertThat(counting.connections).as("connections borrowed").hasValue(1);
    assertThat(start.seen().key()).isEqualTo(key("a"));
    assertThat(start.seen().row()).isEqualTo(ledger.documents().find(key("a")));
    assertThat(outbox().stats().depth()).isEqualTo(1);
    assertThat(outbox().claim("d", VISIBILITY, 10)).as("still within its grace").isEmpty();
    Transition recorded =
        ledger
            .documents()
            .recordWrite(asset("a", 200, MD5), MD5, SHA, start.seen(), outbox(), start.ticket());
    assertThat(recorded).isEqualTo(Transition.APPLIED);
    assertThat(outbox().stats().depth()).isZero();
  }

  @Test
  void aWriteStartOnADocumentWithoutARowSeesNone() {
    WriteStart start =
        ledger
            .documents()
            .startWrite(key("new"), outbox(), key("new"), "dual-write", Duration.ofMinutes(1));

    assertThat(start.seen().row()).isEmpty();
    assertThat(start.ticket().key()).isEqualTo(key("new"));
    clock.advance(Duration.ofMinutes(1));
    assertThat(outbox().claim("d", VISIBILITY, 10)).as("due after its grace").hasSize(1);
  }

  /** A dual-write's record of version {@code version} of "a", settling {@code ticket} with it. */
  private Transition recordedWrite(long version, RepairTicket ticket) {
    return ledger
        .documents()
        .recordWrite(asset("a", version, MD5), MD5, SHA, RowSeen.unknown(), outbox(), ticket);
  }

  @Test
  void anIntentTheWriterNeverSettledComesDueAfterItsGrace() {
    outbox().intend(key("a"), RepairOperation.CLOUDINARY_DELETE, "crash", Duration.ofMinutes(1));

    clock.advance(Duration.ofMinutes(1));
    assertThat(outbox().claim("d", VISIBILITY, 10))
        .singleElement()
        .satisfies(t -> assertThat(t.operation()).isEqualTo(RepairOperation.CLOUDINARY_DELETE));
  }

  @Test
  void aFailedIntentIsDueAtOnceWithItsError() {
    RepairTicket ticket =
        outbox().intend(key("a"), RepairOperation.PUT, "dual-write", Duration.ofMinutes(1));

    outbox().fail(ticket, "s3 put: connection refused");
    assertThat(outbox().claim("d", VISIBILITY, 10))
        .singleElement()
        .satisfies(t -> assertThat(t.lastError()).isEqualTo("s3 put: connection refused"));
  }

  @Test
  void anIntentQueuedAgainMeanwhileIsNotSettledAway() {
    RepairTicket first =
        outbox().intend(key("a"), RepairOperation.PUT, "write 1", Duration.ofMinutes(1));
    outbox().intend(key("a"), RepairOperation.PUT, "write 2", Duration.ofMinutes(1));

    assertThat(outbox().settle(first)).isFalse();
    assertThat(outbox().stats().depth()).isEqualTo(1);
  }

  @Test
  void overlappingWritersLeaveTheRowDueNowWhicheverSettlesLast() {
    RepairTicket first =
        outbox().intend(key("a"), RepairOperation.PUT, "write 1", Duration.ofMinutes(1));
    RepairTicket second =
        outbox().intend(key("a"), RepairOperation.PUT, "write 2", Duration.ofMinutes(1));

    assertThat(first.shared()).isFalse();
    assertThat(second.shared()).isTrue();
    // The second writer finished first: it cannot know whose bytes each store kept.
    assertThat(outbox().settle(second)).isFalse();
    assertThat(outbox().settle(first)).isFalse();
    assertThat(outbox().claim("d", VISIBILITY, 10))
        .singleElement()
        .satisfies(t -> assertThat(t.key()).isEqualTo(key("a")));
  }

  @Test
  void aFailureAfterARepairCompletedTheRowAwayQueuesItAgain() {
    RepairTicket ticket =
        outbox().intend(key("a"), RepairOperation.CLOUDINARY_PUT, "slow", Duration.ofMinutes(1));
    clock.advance(Duration.ofMinutes(1));
    RepairTask task = outbox().claim("d", VISIBILITY, 10).get(0);
    assertThat(outbox().complete(task)).isTrue();

    outbox().fail(ticket, "cloudinary put: 500");

    assertThat(outbox().claim("d", VISIBILITY, 10))
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.operation()).isEqualTo(RepairOperation.CLOUDINARY_PUT);
              assertThat(t.lastError()).isEqualTo("cloudinary put: 500");
            });
  }

  @Test
  void aFailureWhileARepairIsInFlightIsNotCompletedAway() {
    RepairTicket ticket =
        outbox().intend(key("a"), RepairOperation.PUT, "slow", Duration.ofMinutes(1));
    clock.advance(Duration.ofMinutes(1));
    RepairTask task = outbox().claim("d", VISIBILITY, 10).get(0);

    outbox().fail(ticket, "s3 put: timeout");

    assertThat(outbox().complete(task)).isFalse();
    assertThat(outbox().claim("d", VISIBILITY, 10)).hasSize(1);
  }
}
