package io.docshift.app.write;

import io.docshift.app.CliHarness;
import io.docshift.app.node.ProxyNode;
import io.docshift.app.sandbox.SandboxRunner;
import io.docshift.core.config.DocShiftConfig;
import io.docshift.core.config.S3Config;
import io.docshift.core.config.WriteMode;
import io.docshift.ledger.Ledger;
import io.docshift.ledger.LedgerSettings;
import io.docshift.sandbox.s3.EmbeddedS3;
import io.docshift.testkit.Eventually;
import io.docshift.traffic.control.TrafficChange;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * One write mode of the history checker, on its own sandbox, data directory, ports and child
 * process, so several modes run side by side: 16 clients over 12 ids through a {@code docshift
 * serve} child that is killed with SIGKILL {@link Schedule#kills()} times, while its S3 is stopped
 * and restarted in the middle of uploads; then a drained repair outbox and the {@link
 * HistoryVerdict}.
 */
final class HistoryModeRun implements Callable<HistoryModeRun.Result> {
  private static final int CLIENTS = 16;
  private static final int IDS = 12;
  private static final int S3_RESTARTS = 3;

  /** How hard a run is: kills, operations, and the gaps between kills. */
  record Schedule(int kills, int maxOpsPerClient, int minGapMillis, int gapSpreadMillis) {}

  /** What one mode's run found. */
  record Result(
      String run,
      List<HistoryOp> history,
      int kills,
      int s3Restarts,
      double seconds,
      String report,
      Map<String, List<String>> violations) {}

  private final WriteMode mode;
  private final Path dir;
  private final long seed;
  private final Schedule schedule;
  private EmbeddedS3 s3;
  private S3Config s3Config;
  private int kills;
  private int s3Restarts;

  HistoryModeRun(WriteMode mode, Path dir, long seed, Schedule schedule) {
    this.mode = mode;
    this.dir = dir;
    this.seed = seed;
    this.schedule = schedule;
  }

  @Override
  public Result call() throws Exception {
    String run = mode.name().toLowerCase(Locale.ROOT).replace('_', '-');
    long started = System.nanoTime();
    try (SandboxRunner sandbox = CliHarness.crashSandbox(dir.resolve("sb"), mode)) {
      DocShiftConfig config = DocShiftConfig.builder().file(sandbox.configFile()).build();
      List<String> ids = IntStream.range(0, IDS).mapToObj(i -> "h/d" + i + ".bin").toList();
      try (Ledger ledger = Ledger.open(LedgerSettings.builder(config).build());
          ProxyNode reader = ProxyNode.start(readerConfig(sandbox.configFile()), ledger);
          StoreProbe stores = new StoreProbe(config, ledger)) {
        // Injected S3 outages must not switch the write mode under the clients.
        reader
            .traffic()
            .set(TrafficChange.builder().autoRevertEnabled(false).build(), "test", "history");
        s3Config = config.s3();
        s3 = startS3(s3Config, 0);
        List<HistoryOp> history;
        try (HistoryRun clients =
            new HistoryRun(run, ids, new HistoryClient(config.cloudinary()), seed, CLIENTS)) {
          history = runWithFaults(sandbox.configFile(), clients);
        } finally {
          s3.close();
        }
        List<String> outbox = stores.outboxRows();
        List<String> stuck = drainRepairs(sandbox.configFile(), stores);
        HistoryVerdict verdict = new HistoryVerdict(history, stores, reader, ids, stuck);
        double seconds = (System.nanoTime() - started) / 1e9;
        String report =
            ViolationReport.of(
                verdict.violations(),
                new ViolationReport.Evidence(history, outbox, id -> ledgerRow(stores, id), log()));
        return new Result(run, history, kills, s3Restarts, seconds, report, verdict.violations());
      }
    }
  }

  private List<HistoryOp> runWithFaults(Path conf, HistoryRun clients) throws Exception {
    Random faults = new Random(seed);
    int killCount = schedule.kills();
    try (ServeChildren children = new ServeChildren()) {
      ServeChild serve = serve(children, conf);
      clients.node(serve.url());
      clients.start(schedule.maxOpsPerClient());
      for (int k = 0; k < killCount; k++) {
        awaitAnswer(clients, serve);
        TimeUnit.MILLISECONDS.sleep(
            schedule.minGapMillis() + faults.nextInt(schedule.gapSpreadMillis()));
        if (s3Restarts < S3_RESTARTS && k == s3Restarts * killCount / S3_RESTARTS) {
          restartS3MidUpload(clients, faults);
          TimeUnit.MILLISECONDS.sleep(300 + faults.nextInt(700));
        }
        serve.kill(); // at a random point of 16 clients' requests
        kills++;
        clients.node(null);
        serve = serve(children, conf);
        clients.node(serve.url());
      }
      TimeUnit.MILLISECONDS.sleep(1_500);
      List<HistoryOp> history = clients.finish();
      serve.stop();
      return history;
    }
  }

  /**
   * Waits (30 s at most) until the instance just started has answered an operation: a fresh JVM
   * takes about a second for its first answers, so a gap counted from its start would kill it
   * before it acknowledged anything, and the history would hold little but cold starts.
   */
  private static void awaitAnswer(HistoryRun clients, ServeChild serve) {
    int before = clients.answered();
    try {
      Eventually.until(
          Duration.ofSeconds(30),
          () -> clients.answered() > before,
          "the restarted DocShift to answer an operation");
    } catch (AssertionError silent) {
      throw serve.failure(silent.getMessage(), silent);
    }
  }

  /** Stops S3 while an upload is in flight (waiting 5 s at most for one), then starts it again. */
  private void restartS3MidUpload(HistoryRun clients, Random faults) throws Exception {
    Eventually.holdsWithin(Duration.ofSeconds(5), () -> clients.uploadsInFlight() > 0);
    int port = s3.port();
    s3.close();
    TimeUnit.MILLISECONDS.sleep(200 + faults.nextInt(800));
    s3 = startS3(s3Config, port);
    s3Restarts++;
  }

  /**
   * The child's own S3Proxy over the sandbox's S3 directory (the sandbox's own S3Proxy keeps
   * serving the test's probes and {@code repair}): stopping it is S3 going away for DocShift only.
   */
  private EmbeddedS3 startS3(S3Config config, int port) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      try {
        return EmbeddedS3.start(
            dir.resolve("sb").resolve("s3"),
            "127.0.0.1",
            port,
            config.bucket(),
            config.accessKey(),
            config.secretKey());
      } catch (IllegalStateException portStillHeld) {
        if (System.nanoTime() > deadline) {
          throw portStillHeld;
        }
        TimeUnit.MILLISECONDS.sleep(100);
      }
    }
  }

  private ServeChild serve(ServeChildren children, Path conf) throws Exception {
    return children.start(
        conf, log(), "s3.endpoint=http://127.0.0.1:" + s3.port(), "repair.enabled=false");
  }

  /**
   * {@code docshift repair --once} until the outbox is empty, within 30 s; returns the rows still
   * there then (each one a violation: the stores may differ with nothing left to make them agree).
   * Every DocShift process is gone by now, so the intents of killed writers (due only after a grace
   * period) and rows in backoff are made due at once rather than waited for.
   */
  private static List<String> drainRepairs(Path conf, StoreProbe stores) throws Exception {
    // Not a failure here: rows that never settle are reported with the other violations.
    Eventually.holdsWithin(
        Duration.ofSeconds(30),
        () -> {
          if (stores.outboxSize() == 0) {
            return true;
          }
          stores.outboxDueNow();
          new CliHarness().run("repair", "--once", "--config", conf.toString());
          return false;
        });
    return stores.outboxRows();
  }

  /** Where every serve child of the run logs, one after the other. */
  private Path log() {
    return dir.resolve("serve.log");
  }

  private static String ledgerRow(StoreProbe stores, String id) {
    return stores.row("raw", id).map(Object::toString).orElse("no row");
  }

  private static DocShiftConfig readerConfig(Path conf) {
    return DocShiftConfig.builder()
        .file(conf)
        .override("proxy.port", "0")
        .override("admin.port", "0")
        .build();
  }
}
