package io.docshift.app.write;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudinary.Cloudinary;
import com.cloudinary.utils.ObjectUtils;
import io.docshift.app.CliHarness;
import io.docshift.app.sandbox.SandboxRunner;
import io.docshift.core.config.CloudinaryConfig;
import io.docshift.core.config.DocShiftConfig;
import io.docshift.core.config.WriteMode;
import io.docshift.ledger.Ledger;
import io.docshift.ledger.LedgerSettings;
import io.docshift.testkit.Eventually;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Upload crash test with real processes: {@code docshift serve} runs in a child JVM in {@code
 * DUAL_CLOUDINARY_PRIMARY} and is killed ({@code destroyForcibly}, SIGKILL) while SDK clients
 * upload concurrently. After a restart and {@code docshift repair --once}, every upload that was
 * acknowledged is in both stores with the SHA-256 of the bytes the client sent.
 */
@Timeout(240)
class UploadCrashTest {
  private static final int CLIENTS = 4;
  private static final int ACKS_BEFORE_KILL = 6;

  @TempDir Path dir;

  @Test
  void everyAcknowledgedUploadIsInBothStoresAfterAKillRestartAndRepair() throws Exception {
    try (SandboxRunner sandbox =
        CliHarness.crashSandbox(dir.resolve("sb"), WriteMode.DUAL_CLOUDINARY_PRIMARY)) {
      DocShiftConfig config = DocShiftConfig.builder().file(sandbox.configFile()).build();
      Map<String, byte[]> acknowledged = new ConcurrentHashMap<>();
      List<Throwable> refused = new CopyOnWriteArrayList<>();

      try (ServeChild serve =
          ServeChild.start(sandbox.configFile(), dir.resolve("serve-first.log"))) {
        uploadUntilKilled(config, serve, acknowledged, refused);
        assertThat(serve.isAlive()).isFalse();
      }
      assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(ACKS_BEFORE_KILL);
      assertThat(refused).as("uploads cut off by the kill").isNotEmpty();

      try (ServeChild restarted =
          ServeChild.start(sandbox.configFile(), dir.resolve("serve-restarted.log"))) {
        byte[] after = Bodies.pdf(100_000, 99);
        try {
          sdk(config, restarted.port())
              .uploader()
              .upload(after, ObjectUtils.asMap("public_id", "crash/after", "resource_type", "raw"));
        } catch (Exception refusedAfterRestart) {
          throw restarted.failure("upload after the restart failed", refusedAfterRestart);
        }
        acknowledged.put("crash/after", after);
        restarted.stop();
      }
      CliHarness repair = new CliHarness();
      assertThat(repair.run("repair", "--once", "--config", sandbox.configFile().toString()))
          .as(repair.err())
          .isZero();

      assertInBothStores(config, acknowledged);
    }
  }

  /** {@link #CLIENTS} SDK clients upload 2 MiB documents until the child is killed mid-stream. */
  private void uploadUntilKilled(
      DocShiftConfig config,
      ServeChild serve,
      Map<String, byte[]> acknowledged,
      List<Throwable> refused)
      throws Exception {
    Cloudinary sdk = sdk(config, serve.port());
    AtomicInteger ids = new AtomicInteger();
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    for (int c = 0; c < CLIENTS; c++) {
      clients.execute(
          () -> {
            while (serve.isAlive() && refused.isEmpty()) {
              String id = "crash/doc-" + ids.incrementAndGet();
              byte[] body = Bodies.pdf(2 * 1024 * 1024, id.hashCode());
              try {
                sdk.uploader()
                    .upload(body, ObjectUtils.asMap("public_id", id, "resource_type", "raw"));
                acknowledged.put(id, body);
              } catch (Exception e) {
                refused.add(e);
              }
            }
          });
    }
    Eventually.holdsWithin(Duration.ofSeconds(90), () -> acknowledged.size() >= ACKS_BEFORE_KILL);
    serve.kill(); // SIGKILL while the other uploads are in flight
    clients.shutdown();
    assertThat(clients.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
  }

  private static void assertInBothStores(DocShiftConfig config, Map<String, byte[]> acknowledged)
      throws Exception {
    try (Ledger ledger = Ledger.open(LedgerSettings.builder(config).build());
        StoreProbe stores = new StoreProbe(config, ledger)) {
      stores.assertInBothStores(acknowledged);
    }
  }

  private static Cloudinary sdk(DocShiftConfig config, int port) {
    CloudinaryConfig account = config.cloudinary();
    return new Cloudinary(
        WriteRig.cloudinaryUrl(
            account, account.apiSecret(), URI.create("http://127.0.0.1:" + port)));
  }
}
