package io.docshift.backfill;

import io.docshift.core.store.DocumentStore;
import io.docshift.ledger.Ledger;
import io.docshift.ledger.LedgerSettings;
import io.docshift.sandbox.emulator.CloudinaryEmulator;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.UUID;

/** Builds runs for tests: fast retries, no real waiting, small pages. */
final class Runs {
  private Runs() {}

  static Ledger h2Ledger() {
    return Ledger.open(LedgerSettings.builder("jdbc:h2:mem:backfill-" + UUID.randomUUID()).build());
  }

  static Ledger h2Ledger(Clock clock) {
    return Ledger.open(
        LedgerSettings.builder("jdbc:h2:mem:backfill-" + UUID.randomUUID()).clock(clock).build());
  }

  static BackfillOptions.Builder options(String prefix, Path spoolDir) {
    return BackfillOptions.builder()
        .workerId("test-worker")
        .prefix(prefix)
        .concurrency(3)
        .batchSize(4)
        .pageSize(5)
        .maxAttempts(3)
        .retry(Duration.ofMillis(1), Duration.ofMillis(4))
        .documentTimeout(Duration.ofSeconds(30))
        .spoolDir(spoolDir);
  }

  static Backfill.Builder backfill(
      BackfillOptions options,
      Ledger ledger,
      CloudinaryEmulator emulator,
      DocumentStore cloudinary,
      DocumentStore s3) {
    return Backfill.builder(options, ledger, Harness.account(emulator), cloudinary, s3)
        .sleeper(duration -> {})
        .random(new SplittableRandom(7));
  }
}
