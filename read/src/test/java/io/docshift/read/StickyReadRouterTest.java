package io.docshift.read;

import static io.docshift.read.LedgerCopies.image;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docshift.core.config.WriteMode;
import io.docshift.core.key.DocumentKey;
import io.docshift.core.metrics.MicrometerMetricsRecorder;
import io.docshift.core.outcome.Backend;
import io.docshift.core.outcome.Outcome;
import io.docshift.core.store.ByteRange;
import io.docshift.core.store.DocumentMeta;
import io.docshift.core.store.DocumentResponse;
import io.docshift.core.store.StoreException;
import io.docshift.traffic.TrafficState;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The router over a real (H2) ledger and two scripted stores: a read asks the ledger once however
 * many of its rules need the row, so a ledger that cannot be read is counted once per read.
 */
class StickyReadRouterTest {
  private static final DocumentKey KEY = image("scans/a", "png");
  private static final DocumentMeta META =
      new DocumentMeta(
          OptionalLong.of(3),
          "image/png",
          Optional.empty(),
          Optional.empty(),
          OptionalLong.empty(),
          Optional.empty());

  private final LedgerCopies fx = new LedgerCopies();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @AfterEach
  void close() {
    fx.close();
  }

  /**
   * The write mode, the S3 read weight and Cloudinary's answer, with the ledger down; then who
   * serves ({@code -}: the client gets Cloudinary's 404).
   */
  @ParameterizedTest(name = "{0}, weight {1}, Cloudinary {2}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          S3_ONLY                 | 100 | ok        | CLOUDINARY
          S3_ONLY                 | 100 | NOT_FOUND | -
          S3_ONLY                 | 0   | NOT_FOUND | -
          DUAL_S3_PRIMARY         | 100 | NOT_FOUND | -
          DUAL_CLOUDINARY_PRIMARY | 0   | NOT_FOUND | -
          """)
  void aLedgerThatCannotBeReadIsCountedOncePerRead(
      WriteMode mode, int weight, String cloudinaryAnswer, String servedBy) throws Exception {
    ScriptedStore s3 = new ScriptedStore(Backend.S3, true);
    ScriptedStore cloudinary = new ScriptedStore(Backend.CLOUDINARY, cloudinaryAnswer.equals("ok"));
    fx.close(); // every lookup now fails

    CompletableFuture<Served<DocumentMeta>> served =
        router(mode, weight, s3, cloudinary).headServed(KEY);

    if (servedBy.equals("-")) {
      assertNotFound(served);
    } else {
      assertThat(served.get(5, TimeUnit.SECONDS).backend().name()).isEqualTo(servedBy);
    }
    assertThat(ledgerFailures()).isEqualTo(1);
    assertThat(fx.lookups).hasValue(1);
    assertThat(s3.heads).as("an unread ledger never sends a read to S3").isZero();
    assertThat(cloudinary.heads).isEqualTo(1);
  }

  @Test
  void inS3OnlyARemovedDocumentIsNotFoundWithoutAskingEitherStore() throws Exception {
    fx.verified("scans/a", "png");
    fx.ledger.documents().markDeleted(LedgerCopies.row("scans/a"), "gone");
    ScriptedStore s3 = new ScriptedStore(Backend.S3, true);
    ScriptedStore cloudinary = new ScriptedStore(Backend.CLOUDINARY, true);

    assertNotFound(router(WriteMode.S3_ONLY, 100, s3, cloudinary).headServed(KEY));

    assertThat(s3.heads).isZero();
    assertThat(cloudinary.heads).isZero();
    assertThat(fx.lookups).hasValue(1);
    assertThat(ledgerFailures()).isZero();
  }

  /**
   * The S3 read weight and whether Cloudinary holds the document; then how often Cloudinary is
   * asked: above the weight Cloudinary is asked first, and its 404 is answered by S3.
   */
  @ParameterizedTest(name = "weight {0}, Cloudinary holds it: {1}")
  @CsvSource({"100, true, 0", "0, false, 1"})
  void inS3OnlyAVerifiedCopyIsServedByS3AfterOneLookup(
      int weight, boolean cloudinaryHolds, int cloudinaryHeads) throws Exception {
    fx.verified("scans/a", "png");
    ScriptedStore s3 = new ScriptedStore(Backend.S3, true);
    ScriptedStore cloudinary = new ScriptedStore(Backend.CLOUDINARY, cloudinaryHolds);

    Served<DocumentMeta> served =
        router(WriteMode.S3_ONLY, weight, s3, cloudinary).headServed(KEY).get(5, TimeUnit.SECONDS);

    assertThat(served.backend()).isEqualTo(Backend.S3);
    assertThat(s3.heads).isEqualTo(1);
    assertThat(cloudinary.heads).isEqualTo(cloudinaryHeads);
    assertThat(fx.lookups).hasValue(1);
    assertThat(ledgerFailures()).isZero();
  }

  private StickyReadRouter router(
      WriteMode mode, int weight, ScriptedStore s3, ScriptedStore cloudinary) {
    return new StickyReadRouter(
        cloudinary,
        s3,
        () -> new TrafficState(weight, mode, 0),
        fx.copies,
        new S3OnlyCopies(() -> new TrafficState(weight, mode, 0), key -> false, Runnable::run),
        new MicrometerMetricsRecorder(registry),
        new S3Bodies(cloudinary, FallbackListener.NONE, MismatchListener.NONE),
        () -> {});
  }

  private static void assertNotFound(CompletableFuture<?> served) {
    assertThatThrownBy(() -> served.get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(
            StoreException.class, e -> assertThat(e.outcome()).isEqualTo(Outcome.NOT_FOUND));
  }

  private double ledgerFailures() {
    return registry.get(MicrometerMetricsRecorder.LEDGER_FAILURES).counter().count();
  }

  /** A store whose every HEAD is served, or answered 404; nothing else is used. */
  private static final class ScriptedStore extends UnscriptedStore implements RoutedDocumentStore {
    private final boolean holds;
    private volatile int heads;

    ScriptedStore(Backend backend, boolean holds) {
      super(backend);
      this.holds = holds;
    }

    /** As every routed store answers a plain HEAD: through {@link #headServed}. */
    @Override
    public CompletableFuture<DocumentMeta> head(DocumentKey key) {
      return RoutedDocumentStore.super.head(key);
    }

    @Override
    public CompletableFuture<Served<DocumentMeta>> headServed(DocumentKey key) {
      heads++;
      return holds
          ? CompletableFuture.completedFuture(Served.by(backend(), META))
          : CompletableFuture.failedFuture(
              new StoreException(backend(), Outcome.NOT_FOUND, "404", null));
    }

    @Override
    public CompletableFuture<Served<DocumentResponse>> getServed(
        DocumentKey key, Optional<ByteRange> range) {
      throw new UnsupportedOperationException("not scripted");
    }

    @Override
    public CompletableFuture<Boolean> removedInS3Only(DocumentKey key) {
      throw new UnsupportedOperationException("not scripted");
    }
  }
}
