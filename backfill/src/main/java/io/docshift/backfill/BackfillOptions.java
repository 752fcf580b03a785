package io.docshift.backfill;

import static io.docshift.backfill.OptionRules.check;
import static java.util.Objects.requireNonNull;

import io.docshift.copier.Spool;
import io.docshift.core.config.BackfillConfig;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How one backfill process runs; immutable, built by a validating {@link Builder}. Errors read
 * {@code name: value (expected: ...)}.
 *
 * @param workerId this process's name on leases: unique among live processes, and the same for a
 *     restarted one, which takes back the leases its dead predecessor held (see {@link
 *     WorkerIdentity})
 * @param concurrency parallel copies
 * @param batchSize most documents claimed from the ledger at once
 * @param lease how long a claimed document stays with this worker if it dies; renewed by heartbeat
 *     every fifth of it while the worker lives
 * @param prefix only public ids starting with this (a folder, e.g. {@code credentials/}); empty for
 *     all
 * @param adminCallsPerHour DocShift's own Admin API budget per hour
 * @param pageSize documents per Admin API page (Cloudinary allows at most 500)
 * @param dryRun list and count what would be copied, write nothing
 * @param relist list Cloudinary again from the start even where an earlier run completed
 * @param maxAttempts tries per document (and per Admin API call) for transient failures
 * @param retryInitial first retry delay; doubles per attempt, with jitter
 * @param retryMax cap on the retry delay
 * @param documentTimeout longest one download or upload may take
 * @param spoolDir where downloads are spooled before the upload when they do not fit in memory
 * @param spoolMemoryBytes heap all workers together may use to hold downloads before the upload
 *     (see {@link Spool}); 0 spools every document to disk
 */
public record BackfillOptions(
    String workerId,
    int concurrency,
    int batchSize,
    Duration lease,
    String prefix,
    int adminCallsPerHour,
    int pageSize,
    boolean dryRun,
    boolean relist,
    int maxAttempts,
    Duration retryInitial,
    Duration retryMax,
    Duration documentTimeout,
    Path spoolDir,
    int spoolMemoryBytes) {

  /** The default {@link #spoolMemoryBytes}: 64 MiB. */
  public static final int DEFAULT_SPOOL_MEMORY_BYTES = 64 << 20;

  /** Validates every component. */
  public BackfillOptions {
    requireNonNull(prefix, "prefix");
    requireNonNull(retryMax, "retryMax");
    requireNonNull(spoolDir, "spoolDir");
    OptionRules.name(workerId, "workerId");
    check(concurrency >= 1 && concurrency <= 1024, "concurrency", concurrency, "1..1024");
    OptionRules.batchSize(batchSize);
    OptionRules.positive(lease, "lease");
    check(adminCallsPerHour >= 1, "adminCallsPerHour", adminCallsPerHour, ">= 1");
    check(pageSize >= 1 && pageSize <= 500, "pageSize", pageSize, "1..500");
    check(maxAttempts >= 1, "maxAttempts", maxAttempts, ">= 1");
    OptionRules.positive(retryInitial, "retryInitial");
    check(retryMax.compareTo(retryInitial) >= 0, "retryMax", retryMax, ">= retryInitial");
    OptionRules.documentTimeout(documentTimeout);
    check(spoolMemoryBytes >= 0, "spoolMemoryBytes", spoolMemoryBytes, ">= 0");
  }

  /** A builder with the defaults documented on its setters. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from the {@code backfill.*} configuration section. */
  public static Builder builder(BackfillConfig config) {
    requireNonNull(config, "config");
    return new Builder()
        .concurrency(config.concurrency())
        .batchSize(config.batchSize())
        .lease(Duration.ofMillis(config.leaseMillis()))
        .adminCallsPerHour(config.adminCallsPerHour());
  }

  /** Builds {@link BackfillOptions}; unset values take the defaults documented on each setter. */
  public static final class Builder {
    private String workerId = OptionRules.processName("");
    private int concurrency = 8;
    private int batchSize = 100;
    private Duration lease = Duration.ofSeconds(30);
    private String prefix = "";
    private int adminCallsPerHour = 2000;
    private int pageSize = 500;
    private boolean dryRun;
    private boolean relist;
    private int maxAttempts = 5;
    private Duration retryInitial = Duration.ofMillis(500);
    private Duration retryMax = Duration.ofSeconds(30);
    private Duration documentTimeout = Duration.ofMinutes(10);
    private Path spoolDir = OptionRules.tmpDir();
    private int spoolMemoryBytes = DEFAULT_SPOOL_MEMORY_BYTES;

    private Builder() {}

    /** Default: {@code $HOSTNAME-pid}. */
    public Builder workerId(String value) {
      this.workerId = requireNonNull(value, "workerId");
      return this;
    }

    public Builder concurrency(int value) {
      this.concurrency = value;
      return this;
    }

    public Builder batchSize(int value) {
      this.batchSize = value;
      return this;
    }

    /** Default 30 seconds. */
    public Builder lease(Duration value) {
      this.lease = requireNonNull(value, "lease");
      return this;
    }

    /** Default: empty (everything). */
    public Builder prefix(String value) {
      this.prefix = requireNonNull(value, "prefix");
      return this;
    }

    public Builder adminCallsPerHour(int value) {
      this.adminCallsPerHour = value;
      return this;
    }

    /** Default 500, Cloudinary's maximum; tests use small pages. */
    public Builder pageSize(int value) {
      this.pageSize = value;
      return this;
    }

    public Builder dryRun(boolean value) {
      this.dryRun = value;
      return this;
    }

    public Builder relist(boolean value) {
      this.relist = value;
      return this;
    }

    /** Default 5. */
    public Builder maxAttempts(int value) {
      this.maxAttempts = value;
      return this;
    }

    /** Defaults 500 ms and 30 s. */
    public Builder retry(Duration initial, Duration max) {
      this.retryInitial = requireNonNull(initial, "retryInitial");
      this.retryMax = requireNonNull(max, "retryMax");
      return this;
    }

    /** Default 10 minutes. */
    public Builder documentTimeout(Duration value) {
      this.documentTimeout = requireNonNull(value, "documentTimeout");
      return this;
    }

    /** Default: {@code java.io.tmpdir}. */
    public Builder spoolDir(Path value) {
      this.spoolDir = requireNonNull(value, "spoolDir");
      return this;
    }

    /** Default {@link BackfillOptions#DEFAULT_SPOOL_MEMORY_BYTES}; 0 spools everything to disk. */
    public Builder spoolMemoryBytes(int value) {
      this.spoolMemoryBytes = value;
      return this;
    }

    /**
     * @throws IllegalArgumentException naming the first invalid option
     */
    public BackfillOptions build() {
      return new BackfillOptions(
          workerId,
          concurrency,
          batchSize,
          lease,
          prefix,
          adminCallsPerHour,
          pageSize,
          dryRun,
          relist,
          maxAttempts,
          retryInitial,
          retryMax,
          documentTimeout,
          spoolDir,
          spoolMemoryBytes);
    }
  }
}
