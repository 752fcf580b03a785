package io.docshift.backfill;

import static java.util.Objects.requireNonNull;

import io.docshift.core.config.RepairConfig;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How a {@link RepairWorker} drains the repair outbox. Immutable; build with {@link #builder()} or
 * {@link #builder(RepairConfig)}. Retry backoff is not here: it belongs to the ledger ({@code
 * LedgerSettings}, keys {@code repair.*BackoffMillis} and {@code repair.jitterPercent}), because
 * {@code RepairOutbox.retry} schedules the next attempt.
 *
 * @param ownerId this process's name on claimed rows
 * @param interval pause between two drains when running in the background
 * @param batchSize rows claimed at once
 * @param concurrency rows applied in parallel
 * @param visibility how long a claimed row stays hidden from other drainers; it must cover {@code
 *     batchSize / concurrency} slow repairs, or another drainer repeats the work (harmless, since
 *     every repair is idempotent, but wasted)
 * @param documentTimeout longest wait for one store call or one document's transfer
 * @param spoolDir where documents are spooled between download and upload
 */
public record RepairOptions(
    String ownerId,
    Duration interval,
    int batchSize,
    int concurrency,
    Duration visibility,
    Duration documentTimeout,
    Path spoolDir) {

  /**
   * Validates every value.
   *
   * @throws IllegalArgumentException as {@code name: value (expected: ...)}
   */
  public RepairOptions {
    requireNonNull(spoolDir, "spoolDir");
    OptionRules.name(ownerId, "ownerId");
    OptionRules.positive(interval, "interval");
    OptionRules.batchSize(batchSize);
    OptionRules.check(concurrency >= 1 && concurrency <= 256, "concurrency", concurrency, "1..256");
    OptionRules.positive(visibility, "visibility");
    OptionRules.documentTimeout(documentTimeout);
  }

  /** A builder with the defaults of {@code conf/docshift.conf}. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder filled from the {@code repair.*} keys. */
  public static Builder builder(RepairConfig config) {
    requireNonNull(config, "config");
    return new Builder()
        .interval(Duration.ofMillis(config.intervalMillis()))
        .batchSize(config.batchSize())
        .concurrency(config.concurrency())
        .visibility(Duration.ofMillis(config.leaseMillis()));
  }

  /** Collects options; {@link #build()} validates them. */
  public static final class Builder {
    private String ownerId = OptionRules.processName("repair-");
    private Duration interval = Duration.ofSeconds(5);
    private int batchSize = 50;
    private int concurrency = 4;
    private Duration visibility = Duration.ofMinutes(1);
    private Duration documentTimeout = Duration.ofMinutes(5);
    private Path spoolDir = OptionRules.tmpDir();

    private Builder() {}

    public Builder ownerId(String value) {
      this.ownerId = requireNonNull(value, "ownerId");
      return this;
    }

    public Builder interval(Duration value) {
      this.interval = requireNonNull(value, "interval");
      return this;
    }

    public Builder batchSize(int value) {
      this.batchSize = value;
      return this;
    }

    public Builder concurrency(int value) {
      this.concurrency = value;
      return this;
    }

    public Builder visibility(Duration value) {
      this.visibility = requireNonNull(value, "visibility");
      return this;
    }

    public Builder documentTimeout(Duration value) {
      this.documentTimeout = requireNonNull(value, "documentTimeout");
      return this;
    }

    public Builder spoolDir(Path value) {
      this.spoolDir = requireNonNull(value, "spoolDir");
      return this;
    }

    /**
     * @throws IllegalArgumentException as {@code name: value (expected: ...)}
     */
    public RepairOptions build() {
      return new RepairOptions(
          ownerId, interval, batchSize, concurrency, visibility, documentTimeout, spoolDir);
    }
  }
}
