package io.docshift.app.write;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.core.config.WriteMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * History checker: 16 bounded clients upload (signed, unsigned, chunked), overwrite, destroy,
 * rename and delete through the Admin API over 12 public_ids, through a {@code docshift serve}
 * child process that is killed with SIGKILL 10 times at random points and restarted, while the S3
 * it writes to is stopped and restarted 3 times in the middle of uploads. After a last restart and
 * a drained repair outbox, {@link HistoryVerdict} holds every acknowledged operation against both
 * stores, the ledger and reads at S3 weight 100 and 0.
 *
 * <p>Both dual write modes run side by side ({@link HistoryModeRun}: own sandbox, data directory,
 * ports and child processes), which keeps the class within its time budget in {@code mvn verify}.
 * {@code -Ddocshift.history.long=true} (or {@code DOCSHIFT_HISTORY_LONG=true}) runs the long
 * version: longer gaps between kills, more operations. {@code -Ddocshift.history.modes} picks the
 * modes, {@code -Ddocshift.history.seed} the schedule.
 */
@Tag("history-checker")
@Timeout(900)
class HistoryTest {
  private static final boolean LONG =
      Boolean.getBoolean("docshift.history.long")
          || "true".equalsIgnoreCase(System.getenv("DOCSHIFT_HISTORY_LONG"));
  private static final int KILLS = 10;
  private static final HistoryModeRun.Schedule SCHEDULE =
      LONG
          ? new HistoryModeRun.Schedule(KILLS, 2_000, 700, 2_500)
          : new HistoryModeRun.Schedule(KILLS, 600, 400, 800);
  private static final long SEED = Long.getLong("docshift.history.seed", 13L);

  @TempDir Path dir;

  static List<WriteMode> modes() {
    return Arrays.stream(
            System.getProperty("docshift.history.modes", "DUAL_CLOUDINARY_PRIMARY,DUAL_S3_PRIMARY")
                .split(","))
        .map(String::trim)
        .map(WriteMode::valueOf)
        .toList();
  }

  @Test
  void everyAcknowledgedOperationHoldsInBothStoresAfterKillsAndS3Restarts() throws Exception {
    List<WriteMode> modes = modes();
    ExecutorService runner = Executors.newFixedThreadPool(modes.size());
    long started = System.nanoTime();
    try {
      List<Future<HistoryModeRun.Result>> runs = new ArrayList<>();
      for (WriteMode mode : modes) {
        Path modeDir = dir.resolve(mode.name().toLowerCase(Locale.ROOT));
        runs.add(runner.submit(new HistoryModeRun(mode, modeDir, SEED, SCHEDULE)));
      }
      List<HistoryModeRun.Result> results = new ArrayList<>();
      for (Future<HistoryModeRun.Result> run : runs) {
        results.add(run.get(840, TimeUnit.SECONDS));
      }
      System.out.printf(
          "history checker: %d modes side by side, %.1f s%n",
          modes.size(), (System.nanoTime() - started) / 1e9);
      results.forEach(HistoryTest::print);
      for (HistoryModeRun.Result r : results) {
        assertThat(r.kills()).as(r.run()).isEqualTo(KILLS);
        assertThat(r.s3Restarts()).as(r.run()).isEqualTo(3);
        assertThat(HistoryVerdict.acknowledged(r.history()))
            .as("%s acknowledged ops", r.run())
            .isGreaterThan(20);
        // The mode and seed head the report, so a failure seen once (in CI, say) can be re-run.
        assertThat(r.violations())
            .as("%s, seed %d%s%n%s", r.run(), SEED, LONG ? ", long" : "", r.report())
            .isEmpty();
      }
    } finally {
      runner.shutdownNow();
    }
  }

  private static void print(HistoryModeRun.Result r) {
    System.out.printf(
        "history %s: %d ops (%s), %d kills, %d S3 restarts, %.1f s%nindeterminate, by cause:%n%s%s",
        r.run(),
        r.history().size(),
        HistoryVerdict.counts(r.history()),
        r.kills(),
        r.s3Restarts(),
        r.seconds(),
        HistoryVerdict.unknownCauses(r.history()),
        r.report());
  }
}
