package io.docshift.stores.s3;

import static io.docshift.stores.s3.S3DocumentStoreTest.await;
import static io.docshift.stores.s3.S3DocumentStoreTest.failure;
import static io.docshift.stores.s3.S3DocumentStoreTest.key;
import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.core.key.DocumentKey;
import io.docshift.core.outcome.Backend;
import io.docshift.core.outcome.Outcome;
import io.docshift.core.store.DocumentMeta;
import io.docshift.core.store.DocumentResponse;
import io.docshift.core.store.PutCondition;
import io.docshift.core.store.PutRequest;
import io.docshift.core.store.PutResult;
import io.docshift.core.store.StoreException;
import io.docshift.testkit.EmbeddedS3Extension;
import io.docshift.testkit.Eventually;
import io.docshift.testkit.SlowSubscriber;
import io.docshift.testkit.TestBodies;
import io.docshift.testkit.UploadRelay;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * Streamed S3 puts on DocShift's Netty client against a real S3 (S3Proxy, which checks every SigV4
 * signature and the {@code Content-MD5}): the object and its metadata are what the SDK path stores,
 * S3's refusals are classified as the SDK path's, a body that breaks off stores nothing, and a
 * stalled S3 stops the source from being read (the leak gate runs in every test).
 */
class NettyS3PutTest {
  @RegisterExtension static final EmbeddedS3Extension S3 = new EmbeddedS3Extension();

  private static final int MIB = 1024 * 1024;

  @RegisterExtension static final NettyS3Stores STORES = NettyS3Stores.readsAndPuts(S3);

  private static PutRequest.Builder request(byte[] data, Publisher<ByteBuffer> body) {
    return PutRequest.builder(data.length, body)
        .contentType("application/pdf")
        .md5Hex(TestBodies.md5Hex(data));
  }

  @Test
  void putStoresTheBytesWithTheMetadataTheSdkPathStores() throws Exception {
    byte[] data = TestBodies.random(3 * MIB + 17, 1);
    PutRequest.Builder both =
        request(data, TestBodies.chunked(data, 64 * 1024))
            .sha256Hex(TestBodies.sha256Hex(data))
            .cloudinaryVersion(7)
            .condition(PutCondition.ifAbsent());

    PutResult result = await(STORES.store().put(key("netty/put é+?#%"), both.build()));
    await(STORES.sdk().put(key("netty/sdk"), TestPutRequests.putRequest(data, "application/pdf")));

    assertThat(result.md5Hex()).contains(TestBodies.md5Hex(data));
    assertThat(result.version()).hasValue(7);
    DocumentMeta netty = await(STORES.sdk().head(key("netty/put é+?#%")));
    DocumentMeta viaSdk = await(STORES.sdk().head(key("netty/sdk")));
    assertThat(netty.length()).isEqualTo(viaSdk.length());
    assertThat(netty.contentType()).isEqualTo("application/pdf");
    assertThat(netty.md5Hex()).isEqualTo(viaSdk.md5Hex()).contains(TestBodies.md5Hex(data));
    assertThat(netty.sha256Hex()).isEqualTo(viaSdk.sha256Hex());
    assertThat(netty.version()).hasValue(7);
    DocumentResponse read = await(STORES.sdk().get(key("netty/put é+?#%"), Optional.empty()));
    assertThat(await(SlowSubscriber.collect(read.body()))).isEqualTo(data);
    assertThat(STORES.store().puts().connectionsOpened()).isEqualTo(1);
  }

  @Test
  void bodyOtherThanItsMd5IsRefusedAsAChecksumMismatchAndNothingIsStored() throws Exception {
    byte[] data = TestBodies.random(MIB, 2);
    byte[] other = TestBodies.random(MIB, 3);
    PutRequest lying = request(data, TestBodies.chunked(other, 64 * 1024)).build();

    StoreException refused = failure(STORES.store().put(key("netty/bad-digest"), lying));

    assertThat(refused.outcome()).isEqualTo(Outcome.CHECKSUM_MISMATCH);
    assertThat(refused.backend()).isEqualTo(Backend.S3);
    assertThat(failure(STORES.sdk().head(key("netty/bad-digest"))).outcome())
        .isEqualTo(Outcome.NOT_FOUND);
  }

  @Test
  void failedConditionsCarryS3sStatusAndLeaveTheObjectAlone() throws Exception {
    DocumentKey key = key("netty/conditions");
    byte[] first = TestBodies.random(1000, 4);
    byte[] second = TestBodies.random(1000, 5);
    await(STORES.store().put(key, request(first, TestBodies.chunked(first, 100)).build()));
    PutRequest absent =
        request(second, TestBodies.chunked(second, 100)).condition(PutCondition.ifAbsent()).build();
    PutRequest stale =
        request(second, TestBodies.chunked(second, 100))
            .condition(PutCondition.ifMatch("\"" + TestBodies.md5Hex(second) + "\""))
            .build();

    assertThat(preconditionStatus(STORES.store().put(key, absent))).isEqualTo(412);
    assertThat(preconditionStatus(STORES.store().put(key, stale))).isEqualTo(412);
    assertThat(await(STORES.sdk().head(key)).md5Hex()).contains(TestBodies.md5Hex(first));

    PutRequest current =
        request(second, TestBodies.chunked(second, 100))
            .condition(PutCondition.ifMatch("\"" + TestBodies.md5Hex(first) + "\""))
            .build();
    await(STORES.store().put(key, current));
    assertThat(await(STORES.sdk().head(key)).md5Hex()).contains(TestBodies.md5Hex(second));
  }

  private static int preconditionStatus(CompletableFuture<?> put) {
    StoreException refused = failure(put);
    assertThat(refused.outcome()).isEqualTo(Outcome.CLIENT_ERROR);
    assertThat(refused.getCause()).isInstanceOf(AwsServiceException.class);
    return ((AwsServiceException) refused.getCause()).statusCode();
  }

  @Test
  void bodyThatBreaksOffStoresNothingAndTheNextPutGoesThrough() throws Exception {
    byte[] data = TestBodies.random(4 * MIB, 6);
    Source broken = new Source(data, MIB);

    StoreException failed =
        failure(STORES.store().put(key("netty/broken"), request(data, broken).build()));

    assertThat(failed.outcome()).isEqualTo(Outcome.LOCAL_ERROR);
    assertThat(failure(STORES.sdk().head(key("netty/broken"))).outcome())
        .isEqualTo(Outcome.NOT_FOUND);
    await(STORES.store().put(key("netty/broken"), request(data, new Source(data, -1)).build()));
    assertThat(await(STORES.sdk().head(key("netty/broken"))).md5Hex())
        .contains(TestBodies.md5Hex(data));
  }

  @Test
  void bodyShorterThanItsLengthStoresNothing() throws Exception {
    byte[] data = TestBodies.random(MIB, 7);
    byte[] half = java.util.Arrays.copyOf(data, MIB / 2);
    PutRequest shortBody = request(data, TestBodies.chunked(half, 64 * 1024)).build();

    assertThat(failure(STORES.store().put(key("netty/short"), shortBody)).outcome())
        .isEqualTo(Outcome.LOCAL_ERROR);
    assertThat(failure(STORES.sdk().head(key("netty/short"))).outcome())
        .isEqualTo(Outcome.NOT_FOUND);
  }

  @Test
  void connectionResetMidPutIsAnS3FaultAndStoresNothing() throws Exception {
    byte[] data = TestBodies.random(4 * MIB, 8);
    try (UploadRelay relay = UploadRelay.to(S3.s3().endpoint())) {
      STORES.reopen(relay.endpoint());
      relay.resetAfter(MIB);
      Source source = new Source(data, -1);

      StoreException failed =
          failure(STORES.store().put(key("netty/reset"), request(data, source).build()));

      assertThat(failed.outcome()).isEqualTo(Outcome.S3_CONNECT);
      assertThat(failure(STORES.sdk().head(key("netty/reset"))).outcome())
          .isEqualTo(Outcome.NOT_FOUND);
      await(STORES.store().put(key("netty/reset"), request(data, new Source(data, -1)).build()));
      assertThat(await(STORES.sdk().head(key("netty/reset"))).md5Hex())
          .contains(TestBodies.md5Hex(data));
    }
  }

  /**
   * The backpressure: while S3 reads nothing, the source is read only as far as the socket buffers
   * and the channel's write buffer take (a few MiB on loopback), not the whole body; without it an
   * in-memory source delivers all 32 MiB in milliseconds.
   */
  @Test
  void stalledS3StopsTheSourceFromBeingRead() throws Exception {
    byte[] data = TestBodies.random(32 * MIB, 9);
    try (UploadRelay relay = UploadRelay.to(S3.s3().endpoint())) {
      STORES.reopen(relay.endpoint());
      relay.pauseAfter(MIB);
      Source source = new Source(data, -1);

      CompletableFuture<PutResult> put =
          STORES.store().put(key("netty/stalled"), request(data, source).build());

      Eventually.until(Duration.ofSeconds(10), () -> relay.uploaded() >= MIB, "the first MiB");
      assertThat(
              Eventually.holdsWithin(Duration.ofMillis(500), () -> source.delivered() > 16 * MIB))
          .as("source read while S3 is stalled")
          .isFalse();
      relay.resume();
      assertThat(await(put).md5Hex()).contains(TestBodies.md5Hex(data));
      assertThat(source.delivered()).isEqualTo(data.length);
    }
  }

  @Test
  void refusedConnectionIsAnS3ConnectFaultAndCancelsTheSource() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    STORES.reopen(URI.create("http://127.0.0.1:" + port));
    byte[] data = TestBodies.random(1000, 10);
    Source source = new Source(data, -1);

    StoreException failed =
        failure(STORES.store().put(key("netty/refused"), request(data, source).build()));

    assertThat(failed.outcome()).isEqualTo(Outcome.S3_CONNECT);
    Eventually.until(Duration.ofSeconds(5), source::cancelled, "the source cancelled");
  }

  /**
   * A body emitted in 64 KiB pieces as requested, counting what it delivered; with {@code failAt}
   * >= 0 it fails with an I/O error once that many bytes went out (a download cut mid-body).
   */
  private static final class Source implements Publisher<ByteBuffer>, Subscription {
    private final byte[] data;
    private final long failAt;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private Subscriber<? super ByteBuffer> subscriber;
    private boolean ended;
    private int position;

    Source(byte[] data, long failAt) {
      this.data = data;
      this.failAt = failAt;
    }

    long delivered() {
      return delivered.get();
    }

    boolean cancelled() {
      return cancelled.get();
    }

    @Override
    public void subscribe(Subscriber<? super ByteBuffer> s) {
      subscriber = s;
      s.onSubscribe(this);
    }

    @Override
    public synchronized void request(long n) {
      for (long i = 0; i < n && !cancelled.get() && !ended; i++) {
        if (failAt >= 0 && position >= failAt) {
          ended = true;
          subscriber.onError(new IOException("download cut at " + position));
          return;
        }
        if (position == data.length) {
          ended = true;
          subscriber.onComplete();
          return;
        }
        int length = Math.min(64 * 1024, data.length - position);
        ByteBuffer piece = ByteBuffer.wrap(data, position, length).slice();
        position += length;
        delivered.addAndGet(length);
        subscriber.onNext(piece);
      }
    }

    @Override
    public void cancel() {
      cancelled.set(true);
    }
  }
}
