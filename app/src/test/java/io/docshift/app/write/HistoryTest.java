package io.docshift.app.write;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.app.CliHarness;
import io.docshift.app.ProxyNode;
import io.docshift.app.sandbox.SandboxRunner;
import io.docshift.core.config.DocShiftConfig;
import io.docshift.core.config.S3Config;
import io.docshift.core.config.WriteMode;
import io.docshift.core.ledger.Ledger;
import io.docshift.core.ledger.LedgerSettings;
import io.docshift.core.traffic.control.TrafficChange;
import io.docshift.sandbox.s3.EmbeddedS3;
import io.docshift.testkit.Eventually;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * History checker: 16 bounded clients upload (signed, unsigned, chunked), overwrite, destroy,
 * rename and delete through the Admin API over 12 public_ids, through a {@code docshift serve}
 * child process that is killed with SIGKILL at random points and restarted, while the S3 it writes
 * to is stopped and restarted in the middle of uploads. After a last restart and a drained repair
 * outbox, {@link HistoryVerdict} holds every acknowledged operation against both stores, the ledger
 * and reads at S3 weight 100 and 0. {@code -Ddocshift.history.long=true} (or {@code
 * DOCSHIFT_HISTORY_LONG=true}) runs the long version: 10 kills, more operations.
 */
@Tag("history-checker")
@Timeout(900)
class HistoryTest {
  private static final boolean LONG =
      Boolean.getBoolean("docshift.history.long")
          || "true".equalsIgnoreCase(System.getenv("DOCSHIFT_HISTORY_LONG"));
  private static final int CLIENTS = 16;
  private static final int IDS = 12;
  private static final int KILLS = LONG ? 10 : 3;
  private static final int S3_RESTARTS = 3;
  private static final int MAX_OPS_PER_CLIENT = LONG ? 2_000 : 400;
  private static final long SEED = Long.getLong("docshift.history.seed", 13L);

  @TempDir Path dir;

  private EmbeddedS3 s3;
  private S3Config s3Config;
  private int kills;
  private int s3Restarts;

  /**
   * The write modes to check: {@code mvn verify} runs {@code DUAL_CLOUDINARY_PRIMARY} only, because
   * {@code DUAL_S3_PRIMARY} still shows a race now and then (a rename into an id answered OK, then
   * the id absent from both stores; docs/architecture.md, Known gaps). {@code loadtest/history.sh}
   * sets {@code -Ddocshift.history.modes=DUAL_CLOUDINARY_PRIMARY,DUAL_S3_PRIMARY}.
   */
  static Stream<WriteMode> modes() {
    return Arrays.stream(
            System.getProperty("docshift.history.modes", "DUAL_CLOUDINARY_PRIMARY").split(","))
        .map(String::trim)
        .map(WriteMode::valueOf);
  }

  @ParameterizedTest
  @MethodSource("modes")
  void everyAcknowledgedOperationHoldsInBothStoresAfterKillsAndS3Restarts(WriteMode mode)
      throws Exception {
    String run = mode.name().toLowerCase(Locale.ROOT).replace('_', '-');
    Map<String, String> overrides = new HashMap<>(CliHarness.ephemeralSandbox(0));
    overrides.put("repair.enabled", "false");
    overrides.put("traffic.writeMode", mode.name());
    long started = System.nanoTime();
    try (SandboxRunner sandbox = SandboxRunner.start(dir.resolve("sb"), null, overrides, l -> {})) {
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
            new HistoryRun(run, ids, new HistoryClient(config.cloudinary()), SEED, CLIENTS)) {
          history = runWithFaults(sandbox.configFile(), clients);
        } finally {
          s3.close();
        }
        List<String> stuck = drainRepairs(sandbox.configFile(), stores);
        HistoryVerdict verdict = new HistoryVerdict(history, stores, reader, ids, stuck);
        String report = verdict.report();
        System.out.printf(
            "history %s: %d ops (%s), %d kills, %d S3 restarts, %.1f s%n%s",
            run,
            history.size(),
            HistoryVerdict.counts(history),
            kills,
            s3Restarts,
            (System.nanoTime() - started) / 1e9,
            report);
        assertThat(kills).isEqualTo(KILLS);
        assertThat(s3Restarts).isEqualTo(S3_RESTARTS);
        assertThat(HistoryVerdict.acknowledged(history)).as("acknowledged ops").isGreaterThan(20);
        assertThat(verdict.violations()).as(report).isEmpty();
      }
    }
  }

  private List<HistoryOp> runWithFaults(Path conf, HistoryRun clients) throws Exception {
    Random faults = new Random(SEED);
    ServeChild serve = serve(conf);
    clients.node(serve.url());
    clients.start(MAX_OPS_PER_CLIENT);
    try {
      for (int k = 0; k < KILLS; k++) {
        TimeUnit.MILLISECONDS.sleep(700 + faults.nextInt(LONG ? 2500 : 1000));
        if (s3Restarts < S3_RESTARTS && k == s3Restarts * KILLS / S3_RESTARTS) {
          restartS3MidUpload(clients, faults);
          TimeUnit.MILLISECONDS.sleep(300 + faults.nextInt(700));
        }
        serve.kill(); // at a random point of 16 clients' requests
        kills++;
        clients.node(null);
        serve = serve(conf);
        clients.node(serve.url());
      }
      TimeUnit.MILLISECONDS.sleep(1_500);
      return clients.finish();
    } finally {
      serve.stop();
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

  private ServeChild serve(Path conf) throws Exception {
    return ServeChild.start(
        conf,
        dir.resolve("serve.log"),
        "s3.endpoint=http://127.0.0.1:" + s3.port(),
        "repair.enabled=false");
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

  private static DocShiftConfig readerConfig(Path conf) {
    return DocShiftConfig.builder()
        .file(conf)
        .override("proxy.port", "0")
        .override("admin.port", "0")
        .build();
  }
}
