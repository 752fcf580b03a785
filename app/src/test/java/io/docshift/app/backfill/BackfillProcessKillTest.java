package io.docshift.app.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.app.CliHarness;
import io.docshift.app.sandbox.SandboxRunner;
import io.docshift.core.config.DocShiftConfig;
import io.docshift.ledger.DocumentRecord;
import io.docshift.ledger.LeaseHolder;
import io.docshift.ledger.Ledger;
import io.docshift.ledger.LedgerSettings;
import io.docshift.ledger.S3State;
import io.docshift.testkit.Eventually;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code docshift backfill} as an operator runs it: real child JVMs on the sandbox, default worker
 * identity and lease. Killed with SIGKILL twice mid-run, the next run takes back the dead process's
 * leases at once (same identity), finishes the backlog and exits 0, well within one lease period,
 * without rewriting what was verified before. A run that cannot finish (S3 refusing every put, or
 * documents held by a live other worker) exits non-zero and prints how many and why; once the other
 * worker is gone its leases lapse and a run finishes them.
 */
@Timeout(180)
class BackfillProcessKillTest {
  private static final Logger LOG = LoggerFactory.getLogger(BackfillProcessKillTest.class);
  private static final int DOCUMENTS = 150;
  private static final Set<S3State> LEFT = EnumSet.of(S3State.ABSENT, S3State.COPIED);
  private static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);

  @TempDir Path dir;
  @TempDir Path spool;

  @Test
  void twoKillsThenARunThatTakesBackTheLeasesAndFinishes() throws Exception {
    try (SandboxRunner sandbox =
        SandboxRunner.start(dir, null, CliHarness.ephemeralSandbox(DOCUMENTS), line -> {})) {
      ChildRuns runs = new ChildRuns(sandbox.configFile(), dir, spool);
      DocShiftConfig config = DocShiftConfig.builder().file(sandbox.configFile()).build();
      Random random = new Random(13); // the kill points are random but repeatable
      try (Ledger ledger = Ledger.open(LedgerSettings.builder(config).build())) {
        for (int kill = 0; kill < 2; kill++) {
          long target = verified(ledger) + 10 + random.nextInt(30);
          Process child = runs.start("killed-" + kill);
          awaitVerified(ledger, child, target);
          assertThat(child.isAlive()).as("still running at the kill").isTrue();
          child.destroyForcibly(); // SIGKILL: no shutdown hook, no lease released
          assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        List<LeaseHolder> dead = ledger.documents().leaseHolders("", LEFT);
        assertThat(dead).as("the killed run's leases stay").singleElement();
        Map<String, Instant> before = S3Objects.verifiedLastModified(ledger, config);
        assertThat(before).as("some documents were verified before the last run").isNotEmpty();

        long started = System.nanoTime();
        ChildRuns.Result last = runs.run("last");
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        LOG.info("last run after two kills: {} ms, {}", took.toMillis(), takenBack(last.output()));
        assertThat(last.code()).as(last.output()).isZero();
        assertThat(last.output())
            .contains("worker " + dead.get(0).owner() + " (took back ")
            .contains("FINISHED: every document is copied and verified");
        assertThat(took).as("no wait for the dead run's leases").isLessThan(DEFAULT_LEASE);
        assertThat(ledger.documents().countByState())
            .containsEntry(S3State.VERIFIED, (long) DOCUMENTS);
        S3Objects.assertBucketEqualsLedger(ledger, config, DOCUMENTS);
        S3Objects.verifiedLastModified(ledger, config)
            .forEach(
                (key, modified) -> {
                  if (before.containsKey(key)) {
                    assertThat(modified).as("rewritten: " + key).isEqualTo(before.get(key));
                  }
                });
      }
      CliHarness verify = new CliHarness();
      assertThat(verify.run("verify", "--config", sandbox.configFile().toString()))
          .as(verify.out())
          .isZero();
    }
  }

  @Test
  void aRunThatCannotFinishSaysWhyAndExitsNonZero() throws Exception {
    int documents = 12;
    try (SandboxRunner sandbox =
        SandboxRunner.start(dir, null, CliHarness.ephemeralSandbox(documents), line -> {})) {
      ChildRuns runs = new ChildRuns(sandbox.configFile(), dir, spool);
      DocShiftConfig config = DocShiftConfig.builder().file(sandbox.configFile()).build();
      try (Ledger ledger = Ledger.open(LedgerSettings.builder(config).build())) {
        ChildRuns.Result refused = runs.run("refused", "--set", "s3.secretKey=not-the-key");
        assertThat(refused.code()).as(refused.output()).isEqualTo(BackfillCommand.FAILED);
        assertThat(refused.output())
            .contains("NOT FINISHED:", documents + " documents failed (s3_");
        assertThat(ledger.documents().countByState())
            .containsEntry(S3State.ABSENT, (long) documents);
        S3Objects.assertBucketEqualsLedger(ledger, config, 0);

        List<DocumentRecord> held =
            ledger.documents().claimBatch("other-live", Duration.ofSeconds(2), 3, LEFT);
        ChildRuns.Result blocked;
        LiveWorker other = LiveWorker.start(ledger, "other-live", Duration.ofSeconds(2));
        try {
          blocked = runs.run("blocked", "--set", "backfill.leaseMillis=2000");
        } finally {
          other.die();
        }
        assertThat(blocked.code()).as(blocked.output()).isEqualTo(BackfillCommand.UNFINISHED);
        assertThat(blocked.output())
            .contains("NOT FINISHED:", "3 documents are held by other workers", "other-live: 3");
        assertThat(ledger.documents().countByState())
            .containsEntry(S3State.VERIFIED, (long) documents - 3)
            .containsEntry(S3State.ABSENT, 3L);
        for (DocumentRecord row : held) {
          DocumentRecord now = ledger.documents().find(row.key()).orElseThrow();
          assertThat(now.state()).isEqualTo(S3State.ABSENT);
          assertThat(now.lease().orElseThrow().owner()).isEqualTo("other-live");
        }
        S3Objects.assertBucketEqualsLedger(ledger, config, documents - 3);

        // The other worker is gone (no more heartbeats): its leases lapse and this run takes them.
        ChildRuns.Result after = runs.run("after", "--set", "backfill.leaseMillis=2000");
        assertThat(after.code()).as(after.output()).isZero();
        assertThat(ledger.documents().countByState())
            .containsEntry(S3State.VERIFIED, (long) documents);
        S3Objects.assertBucketEqualsLedger(ledger, config, documents);
      }
    }
  }

  private static String takenBack(String output) {
    return output.lines().filter(l -> l.startsWith("worker ")).findFirst().orElse("?");
  }

  private static long verified(Ledger ledger) {
    return ledger.documents().countByState().get(S3State.VERIFIED);
  }

  /** Waits (bounded, 60 s) until {@code target} documents are verified or the child has ended. */
  private static void awaitVerified(Ledger ledger, Process child, long target) {
    // Not a failure here: the caller asserts what the child got done before it ended.
    Eventually.holdsWithin(
        Duration.ofSeconds(60), () -> verified(ledger) >= target || !child.isAlive());
  }
}
