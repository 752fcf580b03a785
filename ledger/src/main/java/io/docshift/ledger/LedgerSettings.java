package io.docshift.ledger;

import static java.util.Objects.requireNonNull;

import io.docshift.core.config.DocShiftConfig;
import io.docshift.core.config.LedgerConfig;
import io.docshift.core.config.RepairConfig;
import io.docshift.core.retry.Backoff;
import java.time.Clock;
import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How to open a {@link Ledger}: where the database is, how big the pool is, the clock and random
 * source the ledger uses, repair backoff and the mismatch sample cap. Immutable; build with {@link
 * #builder(String)}.
 *
 * <p>Supported URLs: {@code jdbc:h2:...} (the default: a file in the data directory, opened with
 * {@code AUTO_SERVER=TRUE} so several processes share it) and {@code jdbc:postgresql:...} (a fleet
 * shares one database). {@link #toString()} never shows the password.
 */
public final class LedgerSettings {
  private final String url;
  private final String user;
  private final String password;
  private final int maxPoolSize;
  private final Clock clock;
  private final Backoff repairBackoff;
  private final int mismatchSampleLimit;

  private LedgerSettings(Builder b) {
    this.url = b.url;
    this.user = b.user;
    this.password = b.password;
    this.maxPoolSize = b.maxPoolSize;
    this.clock = b.clock;
    this.repairBackoff =
        new Backoff(b.repairInitialBackoff, b.repairMaxBackoff, b.repairJitterPercent, b.random);
    this.mismatchSampleLimit = b.mismatchSampleLimit;
  }

  /**
   * A builder for {@code url} with defaults: user {@code sa}, empty password, pool of 10, the UTC
   * system clock, repair backoff 1 s doubling to 10 min with 20 % jitter, 1000 mismatch samples.
   *
   * @throws IllegalArgumentException if {@code url} is neither an H2 nor a PostgreSQL JDBC URL
   */
  public static Builder builder(String url) {
    return new Builder(url);
  }

  /**
   * A builder filled from {@code config}'s {@code ledger.*} and {@code repair.*} keys; clock and
   * random source keep their defaults.
   */
  public static Builder builder(DocShiftConfig config) {
    requireNonNull(config, "config");
    LedgerConfig ledger = config.ledger();
    RepairConfig repair = config.repair();
    return builder(ledger.url())
        .credentials(ledger.user(), ledger.password())
        .maxPoolSize(ledger.maxPoolSize())
        .mismatchSampleLimit(ledger.mismatchSampleLimit())
        .repairBackoff(
            Duration.ofMillis(repair.initialBackoffMillis()),
            Duration.ofMillis(repair.maxBackoffMillis()),
            repair.jitterPercent());
  }

  /** The JDBC URL. */
  public String url() {
    return url;
  }

  /** The database user. */
  public String user() {
    return user;
  }

  String password() {
    return password;
  }

  /** Maximum pooled connections. */
  public int maxPoolSize() {
    return maxPoolSize;
  }

  /** The clock every ledger timestamp and lease comes from. */
  public Clock clock() {
    return clock;
  }

  /** Backoff for repair retries. */
  public Backoff repairBackoff() {
    return repairBackoff;
  }

  /** How many mismatch samples are kept (the newest). */
  public int mismatchSampleLimit() {
    return mismatchSampleLimit;
  }

  boolean isH2() {
    return url.startsWith("jdbc:h2:");
  }

  /**
   * The URL the pool connects with. For H2 it forces {@code WRITE_DELAY=0} (replacing any value the
   * operator gave): H2 otherwise writes committed transactions to its file up to a second later, so
   * a {@code kill -9} right after an upload was acknowledged could lose its ledger and outbox rows.
   * With 0, every commit is written to the file before the commit returns (the process may die at
   * once after; the operating system still holds the write). PostgreSQL URLs are used as given: its
   * commit is durable already.
   */
  String connectUrl() {
    if (!isH2()) {
      return url;
    }
    StringBuilder kept = new StringBuilder();
    for (String part : url.split(";")) {
      if (kept.length() > 0 && part.toUpperCase(java.util.Locale.ROOT).startsWith("WRITE_DELAY=")) {
        continue;
      }
      kept.append(kept.length() == 0 ? "" : ";").append(part);
    }
    return kept.append(";WRITE_DELAY=0").toString();
  }

  @Override
  public String toString() {
    return "LedgerSettings{url="
        + url
        + ", user="
        + user
        + ", password=****, maxPoolSize="
        + maxPoolSize
        + "}";
  }

  /** Collects settings; {@link #build()} may be called more than once. */
  public static final class Builder {
    private final String url;
    private String user = "sa";
    private String password = "";
    private int maxPoolSize = 10;
    private Clock clock = Clock.systemUTC();
    private RandomGenerator random = RandomGenerator.getDefault();
    private Duration repairInitialBackoff = Duration.ofSeconds(1);
    private Duration repairMaxBackoff = Duration.ofMinutes(10);
    private int repairJitterPercent = 20;
    private int mismatchSampleLimit = 1000;

    private Builder(String url) {
      requireNonNull(url, "url");
      if (!url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:postgresql:")) {
        throw new IllegalArgumentException(
            "ledger url must start with jdbc:h2: or jdbc:postgresql:, got " + url);
      }
      this.url = url;
    }

    /** Database user and password. */
    public Builder credentials(String user, String password) {
      this.user = requireNonNull(user, "user");
      this.password = requireNonNull(password, "password");
      return this;
    }

    /**
     * Maximum pooled connections.
     *
     * @throws IllegalArgumentException if below 1
     */
    public Builder maxPoolSize(int maxPoolSize) {
      LeaseSql.requirePositive(maxPoolSize, "maxPoolSize");
      this.maxPoolSize = maxPoolSize;
      return this;
    }

    /** The clock for timestamps, leases and backoff. */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /** The random source for backoff jitter. */
    public Builder random(RandomGenerator random) {
      this.random = requireNonNull(random, "random");
      return this;
    }

    /** Repair backoff: see {@link Backoff}; checked by {@link #build()}. */
    public Builder repairBackoff(Duration initial, Duration max, int jitterPercent) {
      this.repairInitialBackoff = requireNonNull(initial, "initial");
      this.repairMaxBackoff = requireNonNull(max, "max");
      this.repairJitterPercent = jitterPercent;
      return this;
    }

    /**
     * How many mismatch samples to keep.
     *
     * @throws IllegalArgumentException if below 1
     */
    public Builder mismatchSampleLimit(int limit) {
      LeaseSql.requirePositive(limit, "mismatchSampleLimit");
      this.mismatchSampleLimit = limit;
      return this;
    }

    /**
     * The settings.
     *
     * @throws IllegalArgumentException if the repair backoff is invalid
     */
    public LedgerSettings build() {
      return new LedgerSettings(this);
    }
  }
}
