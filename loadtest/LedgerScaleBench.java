import io.docshift.ledger.CheckpointKey;
import io.docshift.ledger.CloudinaryAsset;
import io.docshift.ledger.DocumentRecord;
import io.docshift.ledger.Documents;
import io.docshift.ledger.Ledger;
import io.docshift.ledger.LedgerKey;
import io.docshift.ledger.LedgerSettings;
import io.docshift.ledger.S3State;
import io.docshift.ledger.UpsertOrigin;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * The ledger scale benchmark (see bench-ledger-scale.sh): fills a fresh ledger (H2 file or embedded
 * PostgreSQL, migrated by the ledger itself) with N synthetic rows by plain JDBC batch inserts,
 * then times what the backfill, `docshift status`, the gauges and a restarted worker run against
 * it, through the ledger's own API, with the defaults the backfill uses: listing pages of 500,
 * claims of 16 (two per worker at concurrency 8), a 30 s lease. Each measure is the median of REPS
 * repetitions; times per 1,000 documents where the work is per document, else per call.
 */
public class LedgerScaleBench {
  static final String CLOUD = "bench";
  static final int PAGE = 500;
  static final int CLAIM = 16;
  static final Duration LEASE = Duration.ofSeconds(30);
  static final Set<S3State> TO_COPY = EnumSet.of(S3State.ABSENT, S3State.MISMATCH);
  static final Set<S3State> LEFT = EnumSet.of(S3State.ABSENT, S3State.COPIED, S3State.MISMATCH);

  /** Documents per measured operation (1,000; fewer for a smoke run's tiny ledgers). */
  static final int DOCS = Integer.parseInt(System.getenv().getOrDefault("DOCS", "1000"));

  /** Scales a time for DOCS documents to one for 1,000. */
  static final double PER_1000 = 1000.0 / DOCS;

  /** Concurrent settlers, as a backfill at --concurrency 32 (and the ledger pool's size). */
  static final int WORKERS = 32;

  /** LEASES_ONLY=1: only the measures that find rows by lease owner (before/after its index). */
  static final boolean LEASES_ONLY = "1".equals(System.getenv("LEASES_ONLY"));

  public static void main(String[] args) throws Exception {
    long[] sizes = words("SIZES", "10000 200000 2000000").mapToLong(Long::parseLong).toArray();
    List<String> dbs = words("DB", "h2 postgres").toList();
    int reps = Integer.parseInt(System.getenv().getOrDefault("REPS", "5"));
    boolean explain = !"0".equals(System.getenv().getOrDefault("EXPLAIN", "1"));
    for (String db : dbs) {
      try (Databases databases = Databases.open(db)) {
        Map<Long, Map<String, Double>> results = new LinkedHashMap<>();
        for (long size : sizes) {
          results.put(size, run(databases, size, reps, explain && size == sizes[sizes.length - 1]));
        }
        Report.table(db, results);
      }
    }
  }

  private static Stream<String> words(String name, String fallback) {
    return Arrays.stream(System.getenv().getOrDefault(name, fallback).trim().split("\\s+"));
  }

  private static Map<String, Double> run(Databases dbs, long size, int reps, boolean explain)
      throws Exception {
    Memory.reset();
    BenchClock clock = new BenchClock();
    String url = dbs.fresh(size);
    LedgerSettings settings =
        dbs.credentials(LedgerSettings.builder(url)).clock(clock).maxPoolSize(WORKERS).build();
    Map<String, Double> m = new LinkedHashMap<>();
    double live;
    try (Ledger ledger = Ledger.open(settings)) {
      long start = System.nanoTime();
      Fill.documents(ledger.dataSource(), size, clock.instant());
      m.put("fill (s, once)", (System.nanoTime() - start) / 1e9);
      m.put("recount: the counters' migration fill (s, once)", Fill.recount(ledger.dataSource()));
      System.err.printf("%s %,d rows filled in %.1f s%n", dbs.name, size, m.get("fill (s, once)"));
      // A real ledger grows page by page and autovacuum analyses it as it grows; a bulk fill
      // measured at once would run every claim on a plan made for an empty table (10x slower at
      // 200 k rows). ANALYZE=0 shows that case.
      if (!"0".equals(System.getenv("ANALYZE")) && dbs.name.equals("postgres")) {
        try (java.sql.Connection c = ledger.dataSource().getConnection();
            java.sql.Statement st = c.createStatement()) {
          st.execute("ANALYZE documents");
        }
      }
      Ops ops = new Ops(ledger, clock, size);
      m.putAll(Median.of(reps, ops::round));
      System.err.printf(
          "%s %,d rows measured after %.1f s%n", dbs.name, size, (System.nanoTime() - start) / 1e9);
      if (explain) {
        Plans.print(dbs.name, ledger.dataSource(), clock.instant());
      }
      live = Memory.liveHeapMiB(); // with the ledger still open: its caches count
    } finally {
      dbs.drop(size);
    }
    m.put("heap pools' peaks summed (MiB, an upper bound)", Memory.peakHeapMiB());
    m.put("heap live after a full GC (MiB)", live);
    m.put("peak RSS (MiB)", Memory.peakRssMiB());
    return m;
  }

  /** One repetition of every measure; keys are the table's rows. */
  static final class Ops {
    private final Ledger ledger;
    private final Documents documents;
    private final BenchClock clock;
    private final long size;
    private final List<Long> settled = new ArrayList<>();
    private int round;

    Ops(Ledger ledger, BenchClock clock, long size) {
      this.ledger = ledger;
      this.size = size;
      this.documents = ledger.documents();
      this.clock = clock;
    }

    Map<String, Double> round() {
      round++;
      Map<String, Double> m = new LinkedHashMap<>();
      if (LEASES_ONLY) {
        return leaseOwnerMeasures(m);
      }
      m.put("listing upsertAll + checkpoint (ms/1000)", ms(this::listing) * PER_1000);
      m.put(
          "32 workers settle 1000 listed docs of one folder at once (ms/1000, wall)",
          ms(this::settleListedConcurrently) * PER_1000);
      long[] claimSettle = claimAndSettle("live-" + round, DOCS);
      m.put("claimBatch of 16 (ms/1000)", claimSettle[0] / 1e6 * PER_1000);
      m.put("markCopiedAndVerified (ms/1000)", claimSettle[1] / 1e6 * PER_1000);
      // Right after writes, as a minute after the last snapshot is: H2 would answer an unchanged
      // table's repeated query from its last result. A new minute: the snapshot is taken.
      clock.advance(Duration.ofMinutes(1));
      m.put("ProgressHistory.record (ms/call, once a minute)", ms(() -> ledger.history().record()));
      m.put(
          "heartbeat renewLeases (ms/call)",
          heldDuring("beat-" + round, o -> documents.renewLeases(o, LEASE)));
      m.put(
          "status = gauge poll: countByState + outbox stats (ms/call)",
          ms(
              () -> {
                documents.countByState();
                ledger.outbox().stats();
              }));
      m.put("GraphQL migration: tally (ms/call)", ms(() -> ledger.progress().tally()));
      m.put("status --recount: every row counted (ms/call)", ms(() -> ledger.progress().recount()));
      m.put(
          "GraphQL migration: verifiedWithin 5 min (ms/call)",
          ms(() -> ledger.progress().verifiedWithin(Duration.ofMinutes(5))));
      m.put(
          "GraphQL migration: byFolder 20 (ms/call)",
          ms(() -> ledger.progress().byFolder(CLOUD, 20)));
      m.put(
          "backfill report: leaseHolders (ms/call)",
          heldDuring("other-" + round, o -> documents.leaseHolders("me", LEFT)));
      m.putAll(resume());
      m.put("claimBatch of 16 behind 1 % held by this run's failures (ms/1000)", behindHeld());
      unsettle();
      return m;
    }

    /**
     * Untimed: the rows this round settled become absent again, so every round (and every size)
     * works on the mix that was filled rather than on a ledger that drains.
     */
    private void unsettle() {
      String sql =
          "UPDATE documents SET s3_state = 'absent', s3_version = NULL, s3_md5 = NULL,"
              + " s3_sha256 = NULL, lease_owner = NULL, lease_expires_at = NULL WHERE id = ?";
      try (Connection c = ledger.dataSource().getConnection();
          PreparedStatement ps = c.prepareStatement(sql)) {
        for (long id : settled) {
          ps.setLong(1, id);
          ps.addBatch();
        }
        ps.executeBatch();
        Fill.recount(ledger.dataSource()); // the reset went around the counters
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      settled.clear();
    }

    private Map<String, Double> leaseOwnerMeasures(Map<String, Double> m) {
      m.put(
          "heartbeat renewLeases (ms/call)",
          heldDuring("beat-" + round, o -> documents.renewLeases(o, LEASE)));
      m.put(
          "backfill report: leaseHolders (ms/call)",
          heldDuring("other-" + round, o -> documents.leaseHolders("me", LEFT)));
      hold("dead-a-" + round, DOCS);
      m.put(
          "resume: releaseLeases of a dead worker's 1000 (ms/call)",
          ms(() -> documents.releaseLeases("dead-a-" + round)));
      return m;
    }

    /** Two listing pages of 500 new documents, each followed by its checkpoint, as Enumerator. */
    private void listing() {
      CheckpointKey key = new CheckpointKey(CLOUD, "image", "upload", "");
      int pageSize = Math.min(PAGE, DOCS);
      for (int page = 0; page < DOCS / pageSize; page++) {
        List<CloudinaryAsset> assets = new ArrayList<>(pageSize);
        for (int i = 0; i < pageSize; i++) {
          String id = "listed/r" + round + "-p" + page + "-" + i;
          assets.add(
              new CloudinaryAsset(
                  new LedgerKey(CLOUD, "image", "upload", id),
                  "jpg",
                  1_800_000_000L,
                  Fill.md5(i),
                  1));
        }
        documents.upsertAll(assets, UpsertOrigin.LISTING);
        ledger.checkpoints().put(key, "cursor-" + round + "-" + page, false);
      }
    }

    /**
     * The documents {@link #listing} just listed, all in one folder, settled by {@link #WORKERS}
     * threads at once: every settlement moves the same two counters (the folder's absent and
     * verified), the hottest case for the counter rows.
     */
    private void settleListedConcurrently() {
      int pageSize = Math.min(PAGE, DOCS);
      List<Thread> threads = new ArrayList<>();
      java.util.concurrent.atomic.AtomicReference<RuntimeException> failed =
          new java.util.concurrent.atomic.AtomicReference<>();
      for (int w = 0; w < WORKERS; w++) {
        int worker = w;
        threads.add(
            new Thread(
                    () -> {
                      try {
                        for (int d = worker; d < DOCS; d += WORKERS) {
                          int i = d % pageSize;
                          String id = "listed/r" + round + "-p" + d / pageSize + "-" + i;
                          LedgerKey key = new LedgerKey(CLOUD, "image", "upload", id);
                          documents.markCopiedAndVerified(
                              key, 1_800_000_000L, Fill.md5(i), Fill.sha(Fill.md5(i)));
                        }
                      } catch (RuntimeException e) {
                        failed.set(e);
                      }
                    }));
      }
      threads.forEach(Thread::start);
      for (Thread t : threads) {
        try {
          t.join();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
      if (failed.get() != null) {
        throw failed.get();
      }
    }

    /** Claims {@code n} documents in claims of 16 and settles each; returns both times in ns. */
    private long[] claimAndSettle(String owner, int n) {
      long claimNs = 0;
      long settleNs = 0;
      int done = 0;
      while (done < n) {
        long t0 = System.nanoTime();
        List<DocumentRecord> rows =
            documents.claimBatch(owner, LEASE, Math.min(CLAIM, n - done), TO_COPY);
        long t1 = System.nanoTime();
        for (DocumentRecord row : rows) {
          CloudinaryAsset a = row.asset();
          documents.markCopiedAndVerified(a.key(), a.version(), a.etag(), Fill.sha(a.etag()));
          settled.add(row.id());
        }
        claimNs += t1 - t0;
        settleNs += System.nanoTime() - t1;
        done += rows.size();
        if (rows.isEmpty()) {
          throw new IllegalStateException("nothing left to claim: fill more absent rows");
        }
      }
      return new long[] {claimNs, settleNs};
    }

    /**
     * A run keeps the leases of the documents that failed in it until it ends, and they lie behind
     * its claims in id order: every later claim passes them. Here 1 % of the ledger is held so.
     */
    private double behindHeld() {
      String owner = "failed-" + round;
      long want = size / 100;
      for (long held = 0; held < want; ) {
        int got =
            documents.claimBatch(owner, LEASE, (int) Math.min(1000, want - held), TO_COPY).size();
        if (got == 0) {
          break;
        }
        held += got;
      }
      double ms = claimAndSettle("after-failures-" + round, DOCS)[0] / 1e6 * PER_1000;
      documents.releaseLeases(owner);
      return ms;
    }

    /** Times {@code action} while {@code owner} holds 16 fresh leases (given back untimed). */
    private double heldDuring(String owner, java.util.function.Consumer<String> action) {
      documents.claimBatch(owner, LEASE, CLAIM, TO_COPY);
      double ms = ms(() -> action.accept(owner));
      documents.releaseLeases(owner);
      return ms;
    }

    /**
     * A worker died holding 1,000 leases: its restart under the same id gives them back at once
     * ({@code releaseLeases}); a worker under another id finds them expired and claims them again;
     * {@code expireLeases} clears lapsed ones in one statement; the listing resumes from its
     * checkpoints (nine per run).
     */
    private Map<String, Double> resume() {
      Map<String, Double> m = new LinkedHashMap<>();
      hold("dead-a-" + round, DOCS);
      m.put(
          "resume: releaseLeases of a dead worker's 1000 (ms/call)",
          ms(() -> documents.releaseLeases("dead-a-" + round)));
      hold("dead-b-" + round, DOCS);
      clock.advance(LEASE.plusSeconds(1));
      m.put(
          "resume: re-claim 1000 expired, claims of 16 (ms/1000)",
          claimAndSettle("heir-" + round, DOCS)[0] / 1e6 * PER_1000);
      hold("dead-c-" + round, DOCS);
      clock.advance(LEASE.plusSeconds(1));
      m.put("resume: expireLeases of a dead worker's 1000 (ms/call)", ms(documents::expireLeases));
      m.put(
          "resume: listing checkpoints, 9 gets (ms/call)",
          ms(
              () -> {
                for (String type : List.of("image", "video", "raw")) {
                  for (String delivery : List.of("upload", "private", "authenticated")) {
                    ledger.checkpoints().get(new CheckpointKey(CLOUD, type, delivery, ""));
                  }
                }
              }));
      return m;
    }

    private void hold(String owner, int n) {
      // Untimed set-up: how the dead worker came to hold its leases does not matter, so it takes
      // them in few claims.
      for (int held = 0; held < n; ) {
        int got = documents.claimBatch(owner, LEASE, n - held, TO_COPY).size();
        if (got == 0) {
          throw new IllegalStateException("nothing left to claim: fill more rows or lower DOCS");
        }
        held += got;
      }
    }
  }

  static double ms(Runnable action) {
    long start = System.nanoTime();
    action.run();
    return (System.nanoTime() - start) / 1e6;
  }

  /** Median per key over repetitions (the first repetition warms up and is dropped if reps > 2). */
  static final class Median {
    static Map<String, Double> of(int reps, java.util.function.Supplier<Map<String, Double>> r) {
      List<Map<String, Double>> runs = new ArrayList<>();
      for (int i = 0; i < reps; i++) {
        runs.add(r.get());
      }
      List<Map<String, Double>> kept = reps > 2 ? runs.subList(1, reps) : runs;
      Map<String, Double> median = new LinkedHashMap<>();
      for (String key : kept.get(0).keySet()) {
        double[] v = kept.stream().mapToDouble(x -> x.get(key)).sorted().toArray();
        median.put(
            key, v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2);
      }
      return median;
    }
  }

  /** Synthetic rows: 60 % verified, 30 % absent, 4 % copied, 3 % mismatch, 3 % deleted. */
  static final class Fill {
    static final int BATCH = 5000;
    static final String INSERT =
        "INSERT INTO documents (cloud, resource_type, delivery_type, public_id, format,"
            + " cloudinary_version, cloudinary_etag, bytes, s3_state, s3_version, s3_md5,"
            + " s3_sha256, tombstone_reason, attempts, created_at, updated_at)"
            + " VALUES (?, 'image', 'upload', ?, 'jpg', 1700000000, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)";

    static String md5(long i) {
      return String.format("%032x", i);
    }

    static String sha(String md5) {
      return md5 + md5;
    }

    static S3State state(long i) {
      int p = (int) (i % 100);
      return p < 60
          ? S3State.VERIFIED
          : p < 90
              ? S3State.ABSENT
              : p < 94 ? S3State.COPIED : p < 97 ? S3State.MISMATCH : S3State.DELETED;
    }

    static void documents(DataSource ds, long n, Instant now) throws Exception {
      try (Connection c = ds.getConnection();
          PreparedStatement ps = c.prepareStatement(INSERT)) {
        c.setAutoCommit(false);
        for (long i = 0; i < n; i++) {
          S3State state = state(i);
          boolean copy = state != S3State.ABSENT;
          String md5 = md5(i);
          // Rows changed a day or more ago: the recent-verification window starts empty.
          var when = now.minusSeconds(86_400 + i % 86_400).atOffset(ZoneOffset.UTC);
          ps.setString(1, CLOUD);
          ps.setString(2, String.format("f%02d/doc-%09d", i % 50, i));
          ps.setString(3, md5);
          ps.setLong(4, 50_000 + i % 250_000);
          ps.setString(5, state.name().toLowerCase(java.util.Locale.ROOT));
          ps.setObject(6, copy ? 1700000000L : null, java.sql.Types.BIGINT);
          ps.setString(7, copy ? md5 : null);
          ps.setString(8, copy ? sha(md5) : null);
          ps.setString(9, state == S3State.DELETED ? "removed" : null);
          ps.setObject(10, when);
          ps.setObject(11, when);
          ps.addBatch();
          if ((i + 1) % BATCH == 0 || i == n - 1) {
            ps.executeBatch();
            c.commit();
          }
        }
        outbox(c, n / 1000, now);
        c.commit();
      }
    }

    /**
     * The counters filled from the rows, as the ledger's migration does for an existing ledger
     * (the fill inserts rows around the ledger's API, so it does not count them); seconds taken.
     */
    static double recount(DataSource ds) throws Exception {
      String folder =
          "CASE WHEN POSITION('/' IN public_id) > 0"
              + " THEN SUBSTRING(public_id FROM 1 FOR POSITION('/' IN public_id) - 1) ELSE '' END";
      long start = System.nanoTime();
      try (Connection c = ds.getConnection();
          Statement s = c.createStatement()) {
        c.setAutoCommit(false);
        s.executeUpdate("DELETE FROM document_counts");
        s.executeUpdate(
            "INSERT INTO document_counts (cloud, folder, s3_state, slot, documents, bytes)"
                + " SELECT cloud, "
                + folder
                + ", s3_state, 0, COUNT(*), COALESCE(SUM(bytes), 0) FROM documents"
                + " GROUP BY cloud, "
                + folder
                + ", s3_state");
        c.commit();
      }
      return (System.nanoTime() - start) / 1e9;
    }

    /** One pending repair per 1,000 documents. */
    private static void outbox(Connection c, long n, Instant now) throws Exception {
      String sql =
          "INSERT INTO repair_outbox (cloud, resource_type, delivery_type, public_id, operation,"
              + " reason, next_attempt_at, created_at) VALUES (?, 'image', 'upload', ?, 'put',"
              + " 'bench', ?, ?)";
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        for (long i = 0; i < n; i++) {
          ps.setString(1, CLOUD);
          ps.setString(2, "repair/doc-" + i);
          ps.setObject(3, now.atOffset(ZoneOffset.UTC));
          ps.setObject(4, now.atOffset(ZoneOffset.UTC));
          ps.addBatch();
        }
        ps.executeBatch();
      }
    }
  }

  /** The query plans of the statements the hot paths run (same SQL as the ledger's). */
  static final class Plans {
    static final Map<String, String> SQL = new LinkedHashMap<>();

    static {
      SQL.put(
          "claimBatch",
          "SELECT id FROM documents WHERE s3_state = 'absent' AND id > 0"
              + " AND (lease_expires_at IS NULL OR lease_expires_at <= ?)"
              + " ORDER BY s3_state, id FETCH FIRST 64 ROWS ONLY");
      SQL.put(
          "claimBatch: lock the picked ids",
          "SELECT id FROM documents WHERE id IN ("
              + java.util.stream.LongStream.range(0, 64)
                  .mapToObj(k -> String.valueOf(61 + k / 30 * 100 + k % 30)) // absent rows' ids
                  .collect(java.util.stream.Collectors.joining(", "))
              + ") AND s3_state = 'absent' AND (lease_expires_at IS NULL OR lease_expires_at <= ?)"
              + " ORDER BY id FETCH FIRST 16 ROWS ONLY FOR UPDATE SKIP LOCKED");
      SQL.put(
          "tally (countByState)",
          "SELECT s3_state, SUM(documents) AS n, SUM(bytes) AS b FROM document_counts"
              + " GROUP BY s3_state");
      SQL.put(
          "byFolder: first folders",
          "SELECT folder FROM document_counts WHERE cloud = 'bench' GROUP BY folder"
              + " HAVING SUM(documents) > 0 ORDER BY folder FETCH FIRST 20 ROWS ONLY");
      SQL.put(
          "verifiedWithin",
          "SELECT COUNT(*) FROM documents WHERE updated_at >= ?"
              + " AND CONCAT(s3_state, '') = 'verified'");
      SQL.put("outbox stats", "SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM repair_outbox");
      SQL.put(
          "renewLeases",
          "UPDATE documents SET lease_expires_at = ? WHERE lease_owner = 'x'"
              + " AND lease_expires_at IS NOT NULL");
      SQL.put(
          "releaseLeases",
          "UPDATE documents SET lease_owner = NULL, lease_expires_at = NULL"
              + " WHERE lease_owner = 'x'");
      SQL.put(
          "expireLeases",
          "UPDATE documents SET lease_owner = NULL, lease_expires_at = NULL"
              + " WHERE lease_expires_at <= ?");
      SQL.put(
          "leaseHolders",
          "SELECT lease_owner, s3_state, COUNT(*) AS n, MAX(lease_expires_at) AS until"
              + " FROM documents WHERE lease_expires_at > ? AND lease_owner IS NOT NULL"
              + " AND lease_owner <> 'x' GROUP BY lease_owner, s3_state");
    }

    static void print(String db, DataSource ds, Instant now) throws Exception {
      String prefix = db.equals("postgres") ? "EXPLAIN (ANALYZE, BUFFERS) " : "EXPLAIN ANALYZE ";
      try (Connection c = ds.getConnection()) {
        c.setAutoCommit(false); // the UPDATEs run under EXPLAIN ANALYZE and are rolled back
        for (Map.Entry<String, String> e : SQL.entrySet()) {
          System.out.println("#### " + db + " plan: " + e.getKey());
          System.out.println("```");
          try (PreparedStatement ps = c.prepareStatement(prefix + e.getValue())) {
            if (e.getValue().contains("?")) {
              ps.setObject(1, now.minus(Duration.ofMinutes(5)).atOffset(ZoneOffset.UTC));
            }
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                System.out.println(rs.getString(1));
              }
            }
          } catch (java.sql.SQLException failed) {
            System.out.println("(no plan: " + failed.getMessage() + ")");
          }
          c.rollback();
          System.out.println("```");
        }
      }
    }
  }

  /**
   * Where each size's fresh database lives: an H2 file, or a database on one embedded PostgreSQL.
   */
  static final class Databases implements AutoCloseable {
    final String name;
    private final Path dir;
    private final AutoCloseable postgres;
    private final DataSource admin;
    private final java.util.function.BiFunction<String, String, String> jdbcUrl;

    private Databases(
        String name,
        Path dir,
        AutoCloseable postgres,
        DataSource admin,
        java.util.function.BiFunction<String, String, String> jdbcUrl) {
      this.name = name;
      this.dir = dir;
      this.postgres = postgres;
      this.admin = admin;
      this.jdbcUrl = jdbcUrl;
    }

    static Databases open(String name) throws Exception {
      Path dir = Files.createTempDirectory("docshift-ledger-scale-");
      if (name.equals("h2")) {
        return new Databases(name, dir, null, null, null);
      }
      if (!name.equals("postgres")) {
        throw new IllegalArgumentException("DB: h2 or postgres, not " + name);
      }
      // Reflection: the embedded binaries are on the classpath only for PostgreSQL runs.
      Class<?> type = Class.forName("io.zonky.test.db.postgres.embedded.EmbeddedPostgres");
      AutoCloseable pg = (AutoCloseable) type.getMethod("start").invoke(null);
      DataSource admin = (DataSource) type.getMethod("getPostgresDatabase").invoke(pg);
      var method = type.getMethod("getJdbcUrl", String.class, String.class);
      return new Databases(
          name,
          dir,
          pg,
          admin,
          (user, db) -> {
            try {
              return (String) method.invoke(pg, user, db);
            } catch (ReflectiveOperationException e) {
              throw new IllegalStateException(e);
            }
          });
    }

    String fresh(long size) throws Exception {
      if (postgres == null) {
        return "jdbc:h2:file:" + dir.resolve("ledger-" + size) + ";AUTO_SERVER=TRUE";
      }
      execute("CREATE DATABASE ledger_" + size);
      return jdbcUrl.apply("postgres", "ledger_" + size)
          + "&reWriteBatchedInserts=true"
          + System.getenv().getOrDefault("PG_URL_OPTIONS", "");
    }

    LedgerSettings.Builder credentials(LedgerSettings.Builder b) {
      return postgres == null ? b : b.credentials("postgres", "");
    }

    void drop(long size) throws Exception {
      if (postgres != null) {
        execute("DROP DATABASE ledger_" + size);
      } else {
        try (Stream<Path> files = Files.list(dir)) {
          for (Path p :
              files
                  .filter(f -> f.getFileName().toString().startsWith("ledger-" + size + "."))
                  .toList()) {
            Files.delete(p);
          }
        }
      }
    }

    private void execute(String sql) throws Exception {
      try (Connection c = admin.getConnection();
          Statement s = c.createStatement()) {
        s.execute(sql);
      }
    }

    @Override
    public void close() throws java.io.IOException {
      if (postgres != null) {
        try {
          postgres.close();
        } catch (Exception e) {
          throw new java.io.IOException("cannot stop PostgreSQL", e);
        }
      }
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** Peak heap (all heap pools' peaks) and the process's peak RSS (VmHWM), reset per size. */
  static final class Memory {
    static void reset() {
      System.gc();
      ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
      try {
        Files.writeString(Path.of("/proc/self/clear_refs"), "5"); // resets VmHWM (Linux)
      } catch (Exception e) {
        System.err.println("peak RSS is the process's since start: " + e);
      }
    }

    static double peakHeapMiB() {
      return ManagementFactory.getMemoryPoolMXBeans().stream()
              .filter(p -> p.getType() == MemoryType.HEAP)
              .mapToLong(p -> p.getPeakUsage().getUsed())
              .sum()
          / 1048576.0;
    }

    static double liveHeapMiB() {
      System.gc();
      return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1048576.0;
    }

    static double peakRssMiB() throws Exception {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
        }
      }
      return -1;
    }
  }

  /** The ledger's clock, moved by hand: leases lapse and minutes pass without waiting. */
  static final class BenchClock extends Clock {
    private volatile Duration ahead = Duration.ZERO;

    void advance(Duration d) {
      ahead = ahead.plus(d);
    }

    @Override
    public Instant instant() {
      return Instant.now().plus(ahead);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }
  }

  /** The markdown table: one row per measure, one column per size, and largest / smallest. */
  static final class Report {
    static void table(String db, Map<Long, Map<String, Double>> results) {
      List<Long> sizes = new ArrayList<>(results.keySet());
      StringBuilder out = new StringBuilder("\n### " + db + "\n\n| measure |");
      sizes.forEach(s -> out.append(String.format(" %,d rows |", s)));
      out.append(" largest / smallest |\n|---|");
      sizes.forEach(s -> out.append("---:|"));
      out.append("---:|\n");
      for (String key : results.get(sizes.get(0)).keySet()) {
        out.append("| ").append(key).append(" |");
        sizes.forEach(s -> out.append(String.format(" %.1f |", results.get(s).get(key))));
        double first = results.get(sizes.get(0)).get(key);
        double last = results.get(sizes.get(sizes.size() - 1)).get(key);
        out.append(String.format(" %.1f× |%n", first == 0 ? 0 : last / first));
      }
      System.out.println(out);
    }
  }
}
