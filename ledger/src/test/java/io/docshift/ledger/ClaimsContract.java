package io.docshift.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Worker leases on documents, including concurrent claimers on separate pools. */
abstract class ClaimsContract extends LedgerFixture {
  private static final Duration LEASE = Duration.ofMinutes(5);
  private static final Set<S3State> ABSENT = Set.of(S3State.ABSENT);

  Documents docs() {
    return ledger.documents();
  }

  void seed(int count) {
    for (int i = 0; i < count; i++) {
      docs().upsert(asset(String.format("doc%03d", i), 100, null), UpsertOrigin.LISTING);
    }
  }

  @Test
  void aClaimTakesUnleasedRowsOfTheAskedStatesInIdOrder() {
    seed(5);
    docs().markDeleted(key("doc000"), "destroy");

    List<DocumentRecord> first = docs().claimBatch("w1", LEASE, 3, ABSENT);
    List<DocumentRecord> second = docs().claimBatch("w2", LEASE, 3, ABSENT);

    assertThat(first)
        .extracting(r -> r.key().publicId())
        .containsExactly("doc001", "doc002", "doc003");
    assertThat(second).extracting(r -> r.key().publicId()).containsExactly("doc004");
    assertThat(first.get(0).lease()).contains(new Lease("w1", START.plus(LEASE)));
    assertThat(first.get(0).attempts()).isEqualTo(1);
    assertThat(docs().find(key("doc001")).orElseThrow()).isEqualTo(first.get(0));
    assertThat(docs().claimBatch("w3", LEASE, 3, ABSENT)).isEmpty();
  }

  /**
   * A claimer's next claim walks on from where its last one ended (a walk from the lowest id passes
   * every row the run holds for its failures, on every claim), and wraps around to a row released
   * behind it once the rows after it are taken.
   */
  @Test
  void aClaimerWalksOnFromItsLastClaimAndWrapsToRowsReleasedBehindIt() {
    seed(6);
    docs().claimBatch("w1", LEASE, 2, ABSENT);
    docs().releaseLease(key("doc000"), "w1", "s3 refused");

    assertThat(docs().claimBatch("w1", LEASE, 2, ABSENT))
        .extracting(r -> r.key().publicId())
        .containsExactly("doc002", "doc003");
    assertThat(docs().claimBatch("w1", LEASE, 3, ABSENT))
        .extracting(r -> r.key().publicId())
        .containsExactly("doc004", "doc005", "doc000");
    assertThat(docs().claimBatch("w1", LEASE, 3, ABSENT)).isEmpty();
    assertThat(docs().claimBatch("w2", LEASE, 3, ABSENT)).isEmpty();
  }

  /**
   * A batch over several states takes them one at a time, each in id order (so each is one walk of
   * the state's index that stops at the batch size, however many rows the ledger holds).
   */
  @Test
  void aClaimOverSeveralStatesFillsTheBatchStateByState() {
    seed(4);
    docs().markCopied(key("doc000"), 100, "00112233445566778899aabbccddeeff", "ab");
    docs().markCopied(key("doc002"), 100, "00112233445566778899aabbccddeeff", "ab");

    List<DocumentRecord> batch =
        docs().claimBatch("w1", LEASE, 3, Set.of(S3State.COPIED, S3State.ABSENT));

    assertThat(batch)
        .extracting(r -> r.key().publicId())
        .containsExactly("doc001", "doc003", "doc000");
    assertThat(docs().claimBatch("w2", LEASE, 3, Set.of(S3State.COPIED, S3State.ABSENT)))
        .extracting(r -> r.key().publicId())
        .containsExactly("doc002");
  }

  @Test
  void anExpiredLeaseCanBeClaimedAgain() {
    seed(1);
    docs().claimBatch("w1", LEASE, 10, ABSENT);
    clock.advance(LEASE.minusSeconds(1));
    assertThat(docs().claimBatch("w2", LEASE, 10, ABSENT)).isEmpty();

    clock.advance(Duration.ofSeconds(1));
    List<DocumentRecord> reclaimed = docs().claimBatch("w2", LEASE, 10, ABSENT);
    assertThat(reclaimed).singleElement().satisfies(r -> assertThat(r.attempts()).isEqualTo(2));
    assertThat(reclaimed.get(0).lease().orElseThrow().owner()).isEqualTo("w2");
  }

  @Test
  void onlyTheOwnerReleasesALease() {
    seed(1);
    docs().claimBatch("w1", LEASE, 1, ABSENT);

    assertThat(docs().releaseLease(key("doc000"), "w2", "not mine")).isFalse();
    assertThat(docs().releaseLease(key("doc000"), "w1", "download failed: 503")).isTrue();
    DocumentRecord row = docs().find(key("doc000")).orElseThrow();
    assertThat(row.lease()).isEmpty();
    assertThat(row.lastError()).isEqualTo("download failed: 503");
    assertThat(docs().claimBatch("w2", LEASE, 1, ABSENT)).hasSize(1);
  }

  @Test
  void expireLeasesClearsOnlyLapsedOnes() {
    seed(2);
    docs().claimBatch("w1", Duration.ofMinutes(1), 1, ABSENT);
    docs().claimBatch("w1", Duration.ofMinutes(10), 1, ABSENT);
    clock.advance(Duration.ofMinutes(2));

    assertThat(docs().expireLeases()).isEqualTo(1);
    assertThat(docs().find(key("doc000")).orElseThrow().lease()).isEmpty();
    assertThat(docs().find(key("doc001")).orElseThrow().lease()).isPresent();
  }

  @Test
  void aHeartbeatKeepsTheOwnersLeasesFromLapsing() {
    seed(3);
    Duration shortLease = Duration.ofSeconds(30);
    docs().claimBatch("w1", shortLease, 2, ABSENT);
    docs().claimBatch("w2", shortLease, 1, ABSENT);
    clock.advance(Duration.ofSeconds(20));

    assertThat(docs().renewLeases("w1", shortLease)).isEqualTo(2);
    clock.advance(Duration.ofSeconds(20));

    assertThat(docs().find(key("doc000")).orElseThrow().lease())
        .contains(new Lease("w1", START.plusSeconds(50)));
    List<DocumentRecord> reclaimed = docs().claimBatch("w3", shortLease, 10, ABSENT);
    assertThat(reclaimed).extracting(r -> r.key().publicId()).containsExactly("doc002");
    assertThat(docs().renewLeases("w2", shortLease)).isZero();
  }

  @Test
  void aRestartedWorkerTakesBackItsOwnLeasesAtOnce() {
    seed(3);
    docs().claimBatch("w1", LEASE, 2, ABSENT);
    docs().claimBatch("w2", LEASE, 1, ABSENT);
    docs().releaseLease(key("doc001"), "w1", "s3 refused");
    docs().claimBatch("w1", LEASE, 1, ABSENT);

    assertThat(docs().releaseLeases("w1")).isEqualTo(2);

    DocumentRecord failed = docs().find(key("doc001")).orElseThrow();
    assertThat(failed.lease()).isEmpty();
    assertThat(failed.lastError()).isEqualTo("s3 refused");
    assertThat(failed.state()).isEqualTo(S3State.ABSENT);
    assertThat(docs().find(key("doc002")).orElseThrow().lease().orElseThrow().owner())
        .isEqualTo("w2");
    assertThat(docs().claimBatch("w1", LEASE, 10, ABSENT))
        .extracting(r -> r.key().publicId())
        .containsExactly("doc000", "doc001");
  }

  @Test
  void leaseHoldersCountOthersUnexpiredLeasesOnTheAskedStates() {
    seed(5);
    docs().claimBatch("w1", LEASE, 1, ABSENT);
    docs().claimBatch("w2", LEASE, 2, ABSENT);
    docs().claimBatch("w3", Duration.ofSeconds(10), 1, ABSENT);
    docs().markCopied(key("doc001"), 100, "ab", "cd");
    clock.advance(Duration.ofSeconds(10));

    assertThat(docs().leaseHolders("w1", ABSENT))
        .containsExactly(new LeaseHolder("w2", 1, START.plus(LEASE)));
    assertThat(docs().leaseHolders("w1", Set.of(S3State.ABSENT, S3State.COPIED)))
        .containsExactly(new LeaseHolder("w2", 2, START.plus(LEASE)));
    assertThat(docs().leaseHolders("w2", ABSENT))
        .containsExactly(new LeaseHolder("w1", 1, START.plus(LEASE)));
  }

  @Test
  void claimArgumentsAreChecked() {
    assertThatThrownBy(() -> docs().claimBatch("w", LEASE, 0, ABSENT))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> docs().claimBatch("w", Duration.ZERO, 1, ABSENT))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> docs().claimBatch("w", LEASE, 1, Set.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void concurrentClaimersOnTwoLedgersNeverShareADocument() throws Exception {
    int documents = 120;
    seed(documents);
    List<Ledger> ledgers = List.of(ledger, open());
    List<Long> claimed = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Integer>> workers = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        Documents target = ledgers.get(w % 2).documents();
        String owner = "worker-" + w;
        workers.add(pool.submit(claimUntilEmpty(target, owner, start, claimed)));
      }
      start.countDown();
      for (Future<Integer> worker : workers) {
        worker.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(claimed).hasSize(documents);
    assertThat(new HashSet<>(claimed)).hasSize(documents);
  }

  private static Callable<Integer> claimUntilEmpty(
      Documents docs, String owner, CountDownLatch start, List<Long> claimed) {
    return () -> {
      start.await();
      int batches = 0;
      List<DocumentRecord> batch;
      while (!(batch = docs.claimBatch(owner, LEASE, 7, ABSENT)).isEmpty()) {
        batch.forEach(r -> claimed.add(r.id()));
        batches++;
      }
      return batches;
    };
  }
}
