package io.docshift.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docshift.core.config.S3Settings;
import io.docshift.core.outcome.Backend;
import io.docshift.core.outcome.Outcome;
import io.docshift.ledger.Ledger;
import io.docshift.ledger.LedgerSettings;
import io.docshift.sandbox.s3.EmbeddedS3;
import io.docshift.stores.s3.S3DocumentStore;
import io.docshift.stores.s3.S3Inventory;
import io.docshift.stores.s3.S3ObjectInfo;
import io.docshift.testkit.EmbeddedS3Extension;
import io.docshift.testkit.Eventually;
import io.docshift.testkit.MutableClock;
import io.docshift.testkit.TestBodies;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SharedChunks} as two instances of a fleet see it: two assemblers, each with its own S3
 * client, over one H2 ledger and one S3Proxy bucket. Chunks in any order, refusals that record
 * nothing, the last two chunks racing, expiry of abandoned uploads, and a failed write that a
 * resend assembles again. End state: the assembled bytes, the temporaries in S3 and the ledger's
 * rows.
 */
class SharedChunksTest {
  @RegisterExtension static final EmbeddedS3Extension S3 = new EmbeddedS3Extension();
  private static final int CHUNK = 40_000;

  @TempDir Path dir;

  private final MutableClock clock = new MutableClock(Instant.parse("2026-06-01T10:00:00Z"));
  private Ledger ledger;
  private S3DocumentStore storeA;
  private S3DocumentStore storeB;
  private S3Inventory inventory;
  private SharedChunks a;
  private SharedChunks b;

  @BeforeEach
  void start() {
    ledger =
        Ledger.open(
            LedgerSettings.builder("jdbc:h2:mem:chunks-" + UUID.randomUUID()).clock(clock).build());
    storeA = S3DocumentStore.create(settings());
    storeB = S3DocumentStore.create(settings());
    inventory = S3Inventory.create(settings());
    a = new SharedChunks(ledger.uploads(), storeA.temporaries(), clock);
    b = new SharedChunks(ledger.uploads(), storeB.temporaries(), clock);
  }

  @AfterEach
  void stop() {
    inventory.close();
    storeA.close();
    storeB.close();
    ledger.close();
  }

  private static S3Settings settings() {
    return S3Settings.builder(EmbeddedS3.REGION, EmbeddedS3Extension.BUCKET)
        .endpoint(S3.s3().endpoint())
        .credentials(EmbeddedS3Extension.ACCESS_KEY, EmbeddedS3Extension.SECRET_KEY)
        .pathStyle(true)
        .keyPrefix("mig/")
        .build();
  }

  @Test
  void chunksReversedOverTwoInstancesAssembleOnceAndAResendGetsTheSameAnswer() throws Exception {
    byte[] body = TestBodies.random(3 * CHUNK + 1234, 1);
    List<int[]> ranges = ranges(body.length);
    List<SharedChunks.Received> answers = new ArrayList<>();
    for (int i = ranges.size() - 1; i >= 0; i--) {
      answers.add(send(i % 2 == 0 ? a : b, "rev", body, ranges.get(i), body.length));
    }

    assertThat(answers.subList(0, 3)).allMatch(SharedChunks.Received::pending);
    FileRegion assembled = answers.get(3).assembled();
    assertThat(Files.readAllBytes(assembled.file())).isEqualTo(body);
    assertThat(temporaries("rev")).hasSize(4);

    b.answered("rev", finalAnswer());

    assertThat(temporaries("rev")).isEmpty();
    assertThat(rows("SELECT COUNT(*) FROM upload_chunks")).isZero();
    SharedChunks.Received resend = send(a, "rev", body, ranges.get(0), body.length);
    assertThat(resend.assembled()).isNull();
    assertThat(new String(resend.answer().body(), java.nio.charset.StandardCharsets.UTF_8))
        .contains("\"public_id\":\"x\"");
  }

  @Test
  void badChunksAreRefusedAndRecordNothing() throws Exception {
    byte[] body = TestBodies.random(2 * CHUNK, 2);
    send(a, "bad", body, new int[] {0, CHUNK}, body.length);
    List<String> before = temporaries("bad");

    assertRefused(() -> sendBytes(b, "bad", new byte[10], CHUNK, CHUNK + 19, body.length));
    assertRefused(() -> send(b, "bad", body, new int[] {CHUNK / 2, CHUNK + 10}, body.length));
    byte[] other = TestBodies.random(body.length, 3);
    assertRefused(() -> send(b, "bad", other, new int[] {0, CHUNK}, body.length));
    assertRefused(() -> send(b, "bad", body, new int[] {CHUNK, 2 * CHUNK}, body.length + 1));
    assertRefused(() -> send(b, "bad", body, new int[] {CHUNK, 2 * CHUNK}, CHUNK - 1));

    assertThat(temporaries("bad")).isEqualTo(before);
    assertThat(rows("SELECT COUNT(*) FROM upload_chunks")).isEqualTo(1);
    assertThat(send(b, "bad", body, new int[] {0, CHUNK}, body.length).pending())
        .as("an identical resend is the protocol's resume")
        .isTrue();
    SharedChunks.Received last = send(b, "bad", body, new int[] {CHUNK, 2 * CHUNK}, body.length);
    assertThat(Files.readAllBytes(last.assembled().file())).isEqualTo(body);
  }

  /**
   * The last two chunks at once: one request assembles; the other answers {@code done:false}, or,
   * when it is the upload's last range and finds the upload claimed, the assembler's answer.
   */
  @Test
  void theLastTwoChunksRacingOnTwoInstancesAssembleOnce() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 6; round++) {
        String id = "race-" + round;
        byte[] body = TestBodies.random(4 * CHUNK, 10 + round);
        List<int[]> ranges = ranges(body.length);
        send(a, id, body, ranges.get(0), body.length);
        send(b, id, body, ranges.get(1), body.length);
        Future<SharedChunks.Received> x = pool.submit(() -> send(a, id, body, ranges.get(2), -1));
        Future<SharedChunks.Received> y =
            pool.submit(() -> send(b, id, body, ranges.get(3), body.length));

        List<SharedChunks.Received> both = assembledThenAnswered(id, x, y);
        assertThat(both).filteredOn(r -> r.assembled() != null).as("round %d", round).hasSize(1);
        assertThat(both)
            .filteredOn(r -> r.pending() || r.answer() != null)
            .as("round %d", round)
            .hasSize(1);
        assertThat(Files.readAllBytes(both.get(0).assembled().file())).isEqualTo(body);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * An SDK resending its last chunk (a timeout) on another instance while the first request
   * assembles: the resend waits for the assembler and answers its document, never a 409 or {@code
   * done:false}; nothing is assembled twice.
   */
  @Test
  void theSameLastChunkRacingOnTwoInstancesGetsTheAssemblersAnswer() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 6; round++) {
        String id = "resend-" + round;
        byte[] body = TestBodies.random(2 * CHUNK, 20 + round);
        int[] last = {CHUNK, 2 * CHUNK};
        send(a, id, body, new int[] {0, CHUNK}, body.length);
        Future<SharedChunks.Received> x = pool.submit(() -> send(a, id, body, last, body.length));
        Future<SharedChunks.Received> y = pool.submit(() -> send(b, id, body, last, body.length));

        List<SharedChunks.Received> both = assembledThenAnswered(id, x, y);
        assertThat(Files.readAllBytes(both.get(0).assembled().file())).isEqualTo(body);
        assertThat(both.get(1).assembled()).as("round %d", round).isNull();
        assertThat(both.get(1).answer()).as("round %d", round).isNotNull();
        assertThat(new String(both.get(1).answer().body(), StandardCharsets.UTF_8))
            .contains("\"public_id\":\"x\"");
        assertThat(temporaries(id)).isEmpty();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aResendWaitsForTheAssemblerOnlySoLongThen409() throws Exception {
    byte[] body = TestBodies.random(2 * CHUNK, 6);
    send(a, "slow", body, new int[] {0, CHUNK}, body.length);
    assertThat(send(b, "slow", body, new int[] {CHUNK, 2 * CHUNK}, body.length).assembled())
        .isNotNull();
    // The waiting instance's own clock moves; the ledger's does not, so the claim never lapses.
    MutableClock waitClock = new MutableClock(clock.instant());
    SharedChunks waiting = new SharedChunks(ledger.uploads(), storeA.temporaries(), waitClock);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<SharedChunks.Received> resend =
          pool.submit(() -> send(waiting, "slow", body, new int[] {CHUNK, 2 * CHUNK}, body.length));
      // Each look moves the waiter's clock past the assembly wait, until it gives up.
      Eventually.holdsWithin(
          Duration.ofSeconds(30),
          () -> {
            waitClock.advance(SharedChunks.ASSEMBLY_WAIT);
            awaitQuietly(resend, 50);
            return resend.isDone();
          });
      assertThatThrownBy(resend::get)
          .hasCauseInstanceOf(BadUpload.class)
          .satisfies(e -> assertThat(((BadUpload) e.getCause()).status()).isEqualTo(409));
    } finally {
      pool.shutdownNow();
    }
    assertThat(temporaries("slow")).hasSize(2);
    assertThat(rows("SELECT COUNT(*) FROM upload_sessions WHERE state = 'assembling'"))
        .isEqualTo(1);
  }

  @Test
  void abandonedUploadsExpireWithTheirTemporaries() throws Exception {
    byte[] body = TestBodies.random(2 * CHUNK, 4);
    send(a, "gone", body, new int[] {0, CHUNK}, body.length);
    clock.advance(ChunkSweep.SESSION_TTL.minus(Duration.ofMinutes(1)));
    send(b, "kept", body, new int[] {0, CHUNK}, -1);
    assertThat(temporaries("gone")).hasSize(1);

    clock.advance(Duration.ofMinutes(2));
    send(b, "other", body, new int[] {0, CHUNK}, -1);

    assertThat(temporaries("gone")).isEmpty();
    assertThat(temporaries("kept")).hasSize(1);
    assertThat(rows("SELECT COUNT(*) FROM upload_sessions WHERE upload_id = 'gone'")).isZero();
    assertThat(rows("SELECT COUNT(*) FROM upload_chunks WHERE upload_id = 'gone'")).isZero();
  }

  @Test
  void aFailedWriteLetsAWaitingResendOfTheLastChunkAssembleAgain() throws Exception {
    byte[] body = TestBodies.random(2 * CHUNK, 5);
    send(a, "retry", body, new int[] {0, CHUNK}, body.length);
    SharedChunks.Received first = send(b, "retry", body, new int[] {CHUNK, 2 * CHUNK}, body.length);
    assertThat(first.assembled()).isNotNull();
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<SharedChunks.Received> resend =
          pool.submit(() -> send(a, "retry", body, new int[] {CHUNK, 2 * CHUNK}, body.length));

      b.answered("retry", ApiAnswer.error(502, "S3 unavailable"));

      SharedChunks.Received again = resend.get(30, TimeUnit.SECONDS);
      assertThat(Files.readAllBytes(again.assembled().file())).isEqualTo(body);
    } finally {
      pool.shutdownNow();
    }
    assertThat(temporaries("retry")).hasSize(2);
  }

  /**
   * Waits (bounded) for the first of {@code x} and {@code y} to finish: it must have assembled the
   * upload; answers it for the fleet, then takes the other. Returns {assembler, other}.
   */
  private List<SharedChunks.Received> assembledThenAnswered(
      String id, Future<SharedChunks.Received> x, Future<SharedChunks.Received> y)
      throws Exception {
    Eventually.holdsWithin(Duration.ofSeconds(60), () -> x.isDone() || y.isDone());
    Future<SharedChunks.Received> firstDone = x.isDone() ? x : y;
    Future<SharedChunks.Received> other = firstDone == x ? y : x;
    SharedChunks.Received first = firstDone.get(1, TimeUnit.SECONDS);
    if (first.assembled() == null) { // done:false first; the other assembles without waiting
      return List.of(other.get(60, TimeUnit.SECONDS), first);
    }
    (firstDone == x ? a : b).answered(id, finalAnswer());
    return List.of(first, other.get(60, TimeUnit.SECONDS));
  }

  private static void awaitQuietly(Future<?> future, long millis) throws InterruptedException {
    try {
      future.get(millis, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      // not yet, or failed: the caller looks at the future itself
    }
  }

  /** Sends {@code body[from, to)} as one chunk (total -1 when unknown) to {@code node}. */
  private SharedChunks.Received send(
      SharedChunks node, String id, byte[] body, int[] range, long total) throws Exception {
    byte[] bytes = java.util.Arrays.copyOfRange(body, range[0], range[1]);
    return sendBytes(node, id, bytes, range[0], range[1] - 1, total);
  }

  /** Sends {@code bytes} declared as {@code start-end/total} (which may disagree with them). */
  private SharedChunks.Received sendBytes(
      SharedChunks node, String id, byte[] bytes, long start, long end, long total)
      throws Exception {
    Path call = Files.createTempDirectory(dir, "call-");
    Path file = Files.write(call.resolve("chunk.bin"), bytes);
    ChunkRange chunk = new ChunkRange(id, start, end, total);
    return node.accept(chunk, FileRegion.whole(file, bytes.length), call, null);
  }

  private static List<int[]> ranges(int length) {
    List<int[]> ranges = new ArrayList<>();
    for (int start = 0; start < length; start += CHUNK) {
      ranges.add(new int[] {start, Math.min(length, start + CHUNK)});
    }
    return ranges;
  }

  private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
    assertThatThrownBy(call)
        .isInstanceOf(BadUpload.class)
        .satisfies(e -> assertThat(((BadUpload) e).status()).isEqualTo(400));
  }

  private static ApiAnswer finalAnswer() {
    return ApiAnswer.json(
        200, Map.of("public_id", "x", "version", 7), Optional.of(Backend.S3), Outcome.SUCCESS);
  }

  private List<String> temporaries(String id) throws Exception {
    String prefix = "mig/" + io.docshift.stores.s3.S3Temporaries.FOLDER + id + "/";
    return inventory
        .list(prefix, Optional.empty(), 1000)
        .get(30, TimeUnit.SECONDS)
        .objects()
        .stream()
        .map(S3ObjectInfo::key)
        .toList();
  }

  private long rows(String sql) throws Exception {
    try (Connection c = ledger.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
