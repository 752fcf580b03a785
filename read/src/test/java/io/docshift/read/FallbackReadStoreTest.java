package io.docshift.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docshift.core.config.WriteMode;
import io.docshift.core.key.DeliveryType;
import io.docshift.core.key.DocumentKey;
import io.docshift.core.key.ResourceType;
import io.docshift.core.outcome.Backend;
import io.docshift.core.outcome.Outcome;
import io.docshift.core.store.DocumentMeta;
import io.docshift.core.store.DocumentStore;
import io.docshift.core.store.StoreException;
import io.docshift.traffic.TrafficState;
import io.netty.util.HashedWheelTimer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The fallback decorator alone, over two scripted stores: one row per way S3 and Cloudinary can
 * answer a HEAD, with who served it, the fallback cause, what the listener was told and what the
 * client gets when neither serves.
 */
class FallbackReadStoreTest {
  private static final DocumentKey KEY =
      DocumentKey.of("demo", ResourceType.RAW, DeliveryType.UPLOAD, "docs/a.pdf", null);
  private static final DocumentMeta META = UnscriptedStore.pdf(3);
  private static final Duration FIRST_BYTE = Duration.ofMillis(100);
  private static final HashedWheelTimer TIMER = new HashedWheelTimer(10, TimeUnit.MILLISECONDS);

  private final List<String> toldListener = new CopyOnWriteArrayList<>();

  @AfterAll
  static void stopTimer() {
    TIMER.stop();
  }

  /**
   * S3's answer ({@code ok}, {@code hang} or a failure outcome), Cloudinary's, the write mode and
   * whether a Cloudinary repair is queued; then the backend that served (or {@code -} when the
   * client gets a failure), the fallback cause or failure outcome, and what the listener heard.
   */
  @ParameterizedTest(name = "S3 {0}, Cloudinary {1}, {2}, repair queued {3}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          ok            | ok                 | CLOUDINARY_ONLY | false | S3         | -                  | -
          NOT_FOUND     | ok                 | CLOUDINARY_ONLY | false | CLOUDINARY | NOT_FOUND          | NOT_FOUND
          S3_5XX        | ok                 | CLOUDINARY_ONLY | false | CLOUDINARY | S3_5XX             | S3_5XX
          S3_THROTTLED  | ok                 | CLOUDINARY_ONLY | false | CLOUDINARY | S3_THROTTLED       | S3_THROTTLED
          S3_AUTH       | ok                 | CLOUDINARY_ONLY | false | CLOUDINARY | S3_AUTH            | S3_AUTH
          hang          | ok                 | CLOUDINARY_ONLY | false | CLOUDINARY | S3_TIMEOUT         | S3_TIMEOUT
          CLIENT_ERROR  | ok                 | CLOUDINARY_ONLY | false | -          | CLIENT_ERROR       | -
          S3_5XX        | CLOUDINARY_TIMEOUT | CLOUDINARY_ONLY | false | -          | CLOUDINARY_TIMEOUT | S3_5XX
          S3_5XX        | NOT_FOUND          | CLOUDINARY_ONLY | false | -          | NOT_FOUND          | S3_5XX
          S3_5XX        | NOT_FOUND          | CLOUDINARY_ONLY | true  | -          | S3_5XX             | -
          S3_5XX        | NOT_FOUND          | DUAL_S3_PRIMARY | false | -          | S3_5XX             | -
          hang          | NOT_FOUND          | S3_ONLY         | false | -          | S3_TIMEOUT         | -
          """)
  void eachPairOfAnswersEndsAsTheRowSays(
      String s3,
      String cloudinary,
      WriteMode mode,
      boolean repairQueued,
      String servedBy,
      String outcome,
      String listenerHeard)
      throws Exception {
    FallbackReadStore store =
        store(answer(Backend.S3, s3), answer(Backend.CLOUDINARY, cloudinary), mode, repairQueued);

    CompletableFuture<Served<DocumentMeta>> served = store.headServed(KEY);

    if (servedBy.equals("-")) {
      assertThatThrownBy(() -> served.get(5, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOfSatisfying(
              StoreException.class, e -> assertThat(e.outcome().name()).isEqualTo(outcome));
    } else {
      Served<DocumentMeta> answer = served.get(5, TimeUnit.SECONDS);
      assertThat(answer.backend().name()).isEqualTo(servedBy);
      assertThat(answer.value()).isEqualTo(META);
      assertThat(answer.fallbackCause().map(Outcome::name).orElse("-")).isEqualTo(outcome);
    }
    assertThat(toldListener)
        .isEqualTo(listenerHeard.equals("-") ? List.of() : List.of(listenerHeard));
  }

  @Test
  void aClientErrorIsNotAskedOfCloudinary() {
    CompletableFuture<DocumentMeta> neverAsked = new CompletableFuture<>();
    ScriptedStore cloudinary = new ScriptedStore(Backend.CLOUDINARY, neverAsked);
    FallbackReadStore store =
        store(answer(Backend.S3, "CLIENT_ERROR"), cloudinary, WriteMode.CLOUDINARY_ONLY, false);
    assertThatThrownBy(() -> store.headServed(KEY).get(5, TimeUnit.SECONDS))
        .hasCauseInstanceOf(StoreException.class);
    assertThat(cloudinary.heads).isZero();
  }

  @Test
  void writesGoToS3Only() {
    ScriptedStore s3 = answer(Backend.S3, "ok");
    ScriptedStore cloudinary = answer(Backend.CLOUDINARY, "ok");
    FallbackReadStore store = store(s3, cloudinary, WriteMode.CLOUDINARY_ONLY, false);
    assertThat(store.backend()).isEqualTo(Backend.S3);
    store.delete(KEY).join();
    assertThat(s3.deletes).isEqualTo(1);
    assertThat(cloudinary.deletes).isZero();
  }

  private FallbackReadStore store(
      DocumentStore s3, DocumentStore cloudinary, WriteMode mode, boolean repairQueued) {
    S3OnlyCopies s3Only =
        new S3OnlyCopies(() -> new TrafficState(100, mode, 0), key -> repairQueued, Runnable::run);
    return new FallbackReadStore(
        s3,
        cloudinary,
        FIRST_BYTE,
        (key, cause) -> toldListener.add(cause.name()),
        s3Only,
        TIMER,
        Hedging.off());
  }

  private static ScriptedStore answer(Backend backend, String how) {
    CompletableFuture<DocumentMeta> head =
        switch (how) {
          case "ok" -> CompletableFuture.completedFuture(META);
          case "hang" -> new CompletableFuture<>();
          default ->
              CompletableFuture.failedFuture(
                  new StoreException(
                      backend, Outcome.valueOf(how), backend + " said " + how, null));
        };
    return new ScriptedStore(backend, head);
  }

  /** A store whose HEAD answers as scripted and whose DELETE is counted; nothing else is used. */
  private static final class ScriptedStore extends UnscriptedStore {
    private final CompletableFuture<DocumentMeta> head;
    private volatile int heads;
    private volatile int deletes;

    ScriptedStore(Backend backend, CompletableFuture<DocumentMeta> head) {
      super(backend);
      this.head = head;
    }

    @Override
    public CompletableFuture<DocumentMeta> head(DocumentKey key) {
      heads++;
      return head;
    }

    @Override
    public CompletableFuture<Boolean> delete(DocumentKey key) {
      deletes++;
      return CompletableFuture.completedFuture(true);
    }
  }
}
