package io.docshift.read;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.core.key.DeliveryType;
import io.docshift.core.key.DocumentKey;
import io.docshift.core.key.ResourceType;
import io.docshift.core.metrics.FailoverOutcome;
import io.docshift.core.outcome.Backend;
import io.docshift.core.outcome.Outcome;
import io.docshift.core.store.ByteRange;
import io.docshift.core.store.ContentRange;
import io.docshift.core.store.DocumentMeta;
import io.docshift.core.store.DocumentResponse;
import io.docshift.core.store.StoreException;
import io.docshift.testkit.TestBodies;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * The body wrappers on their own, with an S3 body that breaks off after N bytes and a Cloudinary
 * that answers the continuation as a test says: spliced and hashed, refused, failed, other bytes.
 */
class S3BodiesTest {
  static final DocumentKey KEY =
      DocumentKey.of("demo", ResourceType.RAW, DeliveryType.UPLOAD, "docs/a.pdf", null);
  static final byte[] DOC = TestBodies.random(50_000, 7);
  static final String MD5 = TestBodies.md5Hex(DOC);
  static final ExpectedDigest DIGEST = ExpectedDigest.of(MD5, TestBodies.sha256Hex(DOC));

  private final List<String> reports = new CopyOnWriteArrayList<>();
  private final List<String> mismatches = new CopyOnWriteArrayList<>();
  private final List<ByteRange> asked = new CopyOnWriteArrayList<>();

  @Test
  void aBodyCutAnywhereIsSplicedWholeAndHashed() {
    for (int cut : new int[] {0, 1, 8_192, 30_000, DOC.length - 1}) {
      reports.clear();
      Drained d = read(cut, range -> partOf(DOC, range, MD5));
      assertThat(d.error).as("cut at %d", cut).isNull();
      assertThat(d.bytes()).as("cut at %d", cut).isEqualTo(DOC);
      assertThat(reports).containsExactly("s3_connect/spliced");
    }
    assertThat(asked.get(2)).isEqualTo(ByteRange.from(8_192));
    assertThat(mismatches).isEmpty();
  }

  @Test
  void otherBytesAbortAsAFailoverMismatchAndLeaveTheCopyAlone() {
    byte[] other = DOC.clone();
    other[40_000] ^= 1;
    Drained d = read(20_000, range -> partOf(other, range, MD5));
    assertThat(d.error)
        .isInstanceOfSatisfying(
            StoreException.class,
            e -> assertThat(e.outcome()).isEqualTo(Outcome.CHECKSUM_MISMATCH));
    assertThat(d.out.size()).isLessThan(DOC.length);
    assertThat(reports).containsExactly("s3_connect/mismatch");
    assertThat(mismatches).as("not S3's fault alone").isEmpty();
  }

  @Test
  void anythingButTheSamePartOfTheSameVersionIsRefusedWithS3sFailure() {
    List<Function<ByteRange, CompletableFuture<DocumentResponse>>> answers =
        List.of(
            range -> whole(DOC, MD5),
            range -> partOf(DOC, ByteRange.from(range.first().getAsLong() - 1), MD5),
            range -> partOf(DOC, range, TestBodies.md5Hex(new byte[1])));
    for (var answer : answers) {
      reports.clear();
      Drained d = read(20_000, answer);
      assertThat(d.error)
          .isInstanceOfSatisfying(
              StoreException.class, e -> assertThat(e.outcome()).isEqualTo(Outcome.S3_CONNECT));
      assertThat(d.out.size()).isLessThanOrEqualTo(20_000);
      assertThat(reports).containsExactly("s3_connect/refused");
    }
  }

  @Test
  void aCloudinaryFailureAbortsWithS3sFailure() {
    Drained d =
        read(
            20_000,
            range ->
                CompletableFuture.failedFuture(
                    new StoreException(Backend.CLOUDINARY, Outcome.CLOUDINARY_5XX, "down", null)));
    assertThat(d.error)
        .isInstanceOfSatisfying(
            StoreException.class, e -> assertThat(e.outcome()).isEqualTo(Outcome.S3_CONNECT));
    assertThat(reports).containsExactly("s3_connect/failed");
  }

  @Test
  void aClientRangeContinuesWithinItsPart() {
    ContentRange part = new ContentRange(1_000, 9_999, DOC.length);
    byte[] expected = Arrays.copyOfRange(DOC, 1_000, 10_000);
    DocumentResponse s3 =
        new DocumentResponse(
            meta(DOC.length, MD5), Optional.of(part), breakingAfter(expected, 4_000));
    Drained d = drain(bodies(range -> partOf(DOC, range, MD5)).checked(KEY, DIGEST, s3(s3)));
    assertThat(d.bytes()).isEqualTo(expected);
    assertThat(asked).containsExactly(ByteRange.closed(5_000, 9_999));
    assertThat(reports).containsExactly("s3_connect/spliced");
  }

  private Drained read(int cut, Function<ByteRange, CompletableFuture<DocumentResponse>> cld) {
    DocumentResponse s3 =
        new DocumentResponse(meta(DOC.length, MD5), Optional.empty(), breakingAfter(DOC, cut));
    return drain(bodies(cld).checked(KEY, DIGEST, s3(s3)));
  }

  private S3Bodies bodies(Function<ByteRange, CompletableFuture<DocumentResponse>> cld) {
    FallbackListener listener =
        new FallbackListener() {
          @Override
          public void fellBack(DocumentKey key, Outcome cause) {}

          @Override
          public void failedOver(DocumentKey key, Outcome cause, FailoverOutcome outcome) {
            reports.add(cause.tag() + "/" + outcome.tag());
          }
        };
    return new S3Bodies(
        new Continuations(
            range -> {
              asked.add(range);
              return cld.apply(range);
            }),
        listener,
        (key, algorithm, expected, observed) -> mismatches.add(observed));
  }

  private static Served<DocumentResponse> s3(DocumentResponse response) {
    return Served.by(Backend.S3, response);
  }

  private static DocumentMeta meta(long length, String md5) {
    return new DocumentMeta(
        OptionalLong.of(length),
        "application/pdf",
        Optional.of(md5),
        Optional.empty(),
        OptionalLong.empty(),
        Optional.empty());
  }

  private static CompletableFuture<DocumentResponse> partOf(
      byte[] doc, ByteRange range, String md5) {
    long first = range.first().getAsLong();
    long last = range.last().orElse(doc.length - 1);
    byte[] bytes = Arrays.copyOfRange(doc, (int) first, (int) last + 1);
    return CompletableFuture.completedFuture(
        new DocumentResponse(
            meta(doc.length, md5),
            Optional.of(new ContentRange(first, last, doc.length)),
            TestBodies.chunked(bytes, 4_096)));
  }

  private static CompletableFuture<DocumentResponse> whole(byte[] doc, String md5) {
    return CompletableFuture.completedFuture(
        new DocumentResponse(
            meta(doc.length, md5), Optional.empty(), TestBodies.chunked(doc, 4_096)));
  }

  /** {@code bytes[0..cut)} in chunks, then an S3 connection failure. */
  private static Publisher<ByteBuffer> breakingAfter(byte[] bytes, int cut) {
    return TestBodies.chunkedThenFailing(
        Arrays.copyOf(bytes, cut),
        4_096,
        () -> new StoreException(Backend.S3, Outcome.S3_CONNECT, "connection reset", null));
  }

  private static Drained drain(Served<DocumentResponse> served) {
    Drained d = new Drained();
    served.value().body().subscribe(d);
    return d;
  }

  /** Reads two buffers at a time, synchronously. */
  private static final class Drained implements Subscriber<ByteBuffer> {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    Subscription subscription;
    Throwable error;
    long outstanding;

    @Override
    public void onSubscribe(Subscription s) {
      subscription = s;
      outstanding = 2;
      s.request(2);
    }

    @Override
    public void onNext(ByteBuffer item) {
      byte[] b = new byte[item.remaining()];
      item.get(b);
      out.write(b, 0, b.length);
      if (--outstanding == 0) {
        outstanding = 2;
        subscription.request(2);
      }
    }

    @Override
    public void onError(Throwable t) {
      error = t;
    }

    @Override
    public void onComplete() {}

    byte[] bytes() {
      return out.toByteArray();
    }
  }

  /** Cloudinary as far as a continuation sees it: ranged GETs only. */
  private static final class Continuations extends UnscriptedStore {
    private final Function<ByteRange, CompletableFuture<DocumentResponse>> get;

    Continuations(Function<ByteRange, CompletableFuture<DocumentResponse>> get) {
      super(Backend.CLOUDINARY);
      this.get = get;
    }

    @Override
    public CompletableFuture<DocumentResponse> get(DocumentKey key, Optional<ByteRange> range) {
      return get.apply(range.orElseThrow());
    }
  }
}
