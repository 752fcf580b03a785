package io.docshift.ledger;

import static java.util.Objects.requireNonNull;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Statement;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * The migration ledger: which documents exist, where their S3 copies stand, pending repairs,
 * backfill checkpoints, mismatch samples and the audit trail, in one JDBC database (H2 by default,
 * PostgreSQL for fleets).
 *
 * <p>{@link #open} migrates the schema (Flyway, {@code db/migration}) and starts a connection pool;
 * the repositories it hands out are thread-safe and may be used from any thread until {@link
 * #close}. Several ledgers (threads, processes, hosts) may share one database: every guarded change
 * is a single transaction on row locks.
 */
public final class Ledger implements AutoCloseable {
  /** H2 waits this long for a row lock before failing (its default of 1 s is too short). */
  private static final String H2_LOCK_TIMEOUT = "SET LOCK_TIMEOUT 10000";

  private final HikariDataSource pool;
  private final Jdbc jdbc;
  private final boolean h2;
  private final Documents documents;
  private final RepairOutbox outbox;
  private final Checkpoints checkpoints;
  private final AuditLog audit;
  private final Mismatches mismatches;
  private final MigrationProgress progress;
  private final DocumentTrails trails;
  private final DocumentChanges changes;
  private final ConsoleSessionRows consoleSessions;
  private final ProgressHistory history;
  private final RecentOutcomes recentOutcomes;
  private final UploadSessions uploads;
  private final DeleteTokenRows deleteTokens;

  private Ledger(HikariDataSource pool, LedgerSettings settings) {
    this.pool = pool;
    this.jdbc = new Jdbc(pool, settings.clock());
    this.h2 = settings.isH2();
    this.documents = new Documents(jdbc);
    this.outbox = new RepairOutbox(jdbc, settings.repairBackoff());
    this.checkpoints = new Checkpoints(jdbc);
    this.audit = new AuditLog(jdbc);
    this.mismatches = new Mismatches(jdbc, settings.mismatchSampleLimit());
    this.progress = new MigrationProgress(jdbc);
    this.trails = new DocumentTrails(jdbc, audit);
    this.changes = new DocumentChanges(jdbc);
    this.consoleSessions = new ConsoleSessionRows(jdbc);
    this.history = new ProgressHistory(jdbc, progress);
    this.recentOutcomes = new RecentOutcomes(jdbc);
    this.uploads = new UploadSessions(jdbc);
    this.deleteTokens = new DeleteTokenRows(jdbc);
  }

  /**
   * Connects, migrates the schema to the latest version, and returns a ready ledger.
   *
   * @throws LedgerException if the database cannot be reached or a migration fails (the pool is
   *     closed again)
   */
  public static Ledger open(LedgerSettings settings) {
    requireNonNull(settings, "settings");
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(poolConfig(settings));
    } catch (RuntimeException e) {
      throw new LedgerException("cannot connect to ledger " + settings.url(), e);
    }
    try {
      Flyway.configure()
          .dataSource(pool)
          .locations("classpath:db/migration")
          .failOnMissingLocations(true)
          .load()
          .migrate();
      return new Ledger(pool, settings);
    } catch (FlywayException e) {
      pool.close();
      throw new LedgerException("cannot migrate ledger " + settings.url(), e);
    }
  }

  private static HikariConfig poolConfig(LedgerSettings settings) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("docshift-ledger");
    config.setJdbcUrl(settings.connectUrl());
    config.setUsername(settings.user());
    config.setPassword(settings.password());
    config.setMaximumPoolSize(settings.maxPoolSize());
    config.setMinimumIdle(1);
    if (settings.isH2()) {
      config.setConnectionInitSql(H2_LOCK_TIMEOUT);
    }
    return config;
  }

  /** Documents and the state of their S3 copies. */
  public Documents documents() {
    return documents;
  }

  /** Pending S3 repairs. */
  public RepairOutbox outbox() {
    return outbox;
  }

  /** Backfill listing checkpoints. */
  public Checkpoints checkpoints() {
    return checkpoints;
  }

  /** The audit trail. */
  public AuditLog audit() {
    return audit;
  }

  /** Mismatch samples. */
  public Mismatches mismatches() {
    return mismatches;
  }

  /** Documents and bytes per state and folder, and the recent verification pace. */
  public MigrationProgress progress() {
    return progress;
  }

  /** Per-document mismatches, pending repairs and audited actions, read in batches. */
  public DocumentTrails trails() {
    return trails;
  }

  /** Keys of documents written or deleted, for other instances' read caches. */
  public DocumentChanges changes() {
    return changes;
  }

  /** Minute snapshots of the documents per state, for charts of the last hours. */
  public ProgressHistory history() {
    return history;
  }

  /** Recent fallbacks and shadow outcomes, counted per minute by every instance. */
  public RecentOutcomes recentOutcomes() {
    return recentOutcomes;
  }

  /** The operator console's sessions, shared by every admin listener on this ledger. */
  public ConsoleSessionRows consoleSessions() {
    return consoleSessions;
  }

  /** Chunked uploads the fleet is receiving, for assembly by whichever instance completes one. */
  public UploadSessions uploads() {
    return uploads;
  }

  /** The {@code delete_token}s of uploads relayed by any instance on this ledger. */
  public DeleteTokenRows deleteTokens() {
    return deleteTokens;
  }

  /**
   * Refreshes the query planner's statistics of the documents table on PostgreSQL ({@code ANALYZE
   * documents}, a sample of the table that blocks no writer). A bulk listing can grow the table
   * many times over before autovacuum analyses it, and until then claims run on a plan made for the
   * table it last saw (ten times slower claims at 200 k rows, {@code loadtest/RESULTS.md}). H2 has
   * no such statistics to go stale: nothing is done there.
   *
   * @return whether statistics were refreshed (false on H2)
   * @throws LedgerException if the database cannot be reached
   */
  public boolean analyzeDocuments() {
    if (h2) {
      return false;
    }
    return jdbc.autoCommit(
        "analyze documents",
        c -> {
          try (Statement statement = c.createStatement()) {
            statement.execute("ANALYZE documents");
          }
          return true;
        });
  }

  /**
   * The ledger's pooled, migrated database, for stores that keep their own tables in it (the
   * traffic state's ff4j property store). Do not close it: {@link #close} does.
   */
  public DataSource dataSource() {
    return pool;
  }

  /** Closes the pool; in-flight calls finish first. Idempotent. */
  @Override
  public void close() {
    pool.close();
  }
}
