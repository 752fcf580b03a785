package io.docshift.app.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.app.CliHarness;
import io.docshift.app.sandbox.SandboxRunner;
import io.docshift.core.config.DocShiftConfig;
import io.docshift.ledger.Ledger;
import io.docshift.ledger.LedgerSettings;
import io.docshift.ledger.S3State;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Backfill workers as a fleet runs them: two {@code docshift backfill} processes started together
 * on one embedded PostgreSQL ledger split one backlog. Both exit 0, both copied some documents,
 * their copies add up to the backlog (no document copied twice), every row is verified and the
 * bucket holds exactly what the ledger says.
 */
@Timeout(180)
class BackfillProcessesOnPostgresTest {
  private static final Logger LOG = LoggerFactory.getLogger(BackfillProcessesOnPostgresTest.class);
  private static final int DOCUMENTS = 120;
  private static final Pattern COPIED = Pattern.compile("backfill \\w+ in .*?: copied (\\d+) \\(");

  @TempDir Path dir;
  @TempDir Path spoolA;
  @TempDir Path spoolB;

  @Test
  void twoProcessesSplitOneBacklogAndCopyEachDocumentOnce() throws Exception {
    try (EmbeddedPostgres postgres = EmbeddedPostgres.start();
        SandboxRunner sandbox =
            SandboxRunner.start(dir, null, CliHarness.ephemeralSandbox(DOCUMENTS), line -> {})) {
      String url = postgres.getJdbcUrl("postgres", "postgres");
      // Small claims and few copiers, so the backlog outlasts the second JVM's start and a claim
      // of the first process never takes the whole backlog at once.
      String[] onPostgres = {
        "--set", "ledger.url=" + url,
        "--set", "ledger.user=postgres",
        "--set", "backfill.batchSize=4",
        "--set", "backfill.concurrency=1"
      };
      ChildRuns a = new ChildRuns(sandbox.configFile(), dir, spoolA);
      ChildRuns b = new ChildRuns(sandbox.configFile(), dir, spoolB);

      Process first = a.start("a", with(onPostgres, "--worker-id", "worker-a"));
      Process second = b.start("b", with(onPostgres, "--worker-id", "worker-b"));
      ChildRuns.Result ra = a.await("a", first);
      ChildRuns.Result rb = b.await("b", second);

      assertThat(ra.code()).as(ra.output()).isZero();
      assertThat(rb.code()).as(rb.output()).isZero();
      int copiedA = copied(ra.output());
      int copiedB = copied(rb.output());
      LOG.info("backlog of {} split: a copied {}, b copied {}", DOCUMENTS, copiedA, copiedB);
      assertThat(copiedA).as("copied by a").isPositive();
      assertThat(copiedB).as("copied by b").isPositive();
      assertThat(copiedA + copiedB).as("copies in all").isEqualTo(DOCUMENTS);
      DocShiftConfig config =
          DocShiftConfig.builder()
              .file(sandbox.configFile())
              .overrides(Map.of("ledger.url", url, "ledger.user", "postgres"))
              .build();
      try (Ledger ledger = Ledger.open(LedgerSettings.builder(config).build())) {
        assertThat(ledger.documents().countByState())
            .containsEntry(S3State.VERIFIED, (long) DOCUMENTS);
        S3Objects.assertBucketEqualsLedger(ledger, config, DOCUMENTS);
      }
    }
  }

  private static String[] with(String[] base, String... more) {
    String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return all;
  }

  private static int copied(String output) {
    Matcher m = COPIED.matcher(output);
    assertThat(m.find()).as("a summary line in:%n%s", output).isTrue();
    return Integer.parseInt(m.group(1));
  }
}
