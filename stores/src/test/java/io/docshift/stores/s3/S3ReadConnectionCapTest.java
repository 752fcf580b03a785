package io.docshift.stores.s3;

import static io.docshift.stores.s3.S3DocumentStoreTest.await;
import static io.docshift.stores.s3.S3DocumentStoreTest.failure;
import static io.docshift.stores.s3.S3DocumentStoreTest.key;
import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.core.config.S3Settings;
import io.docshift.core.key.DocumentKey;
import io.docshift.core.outcome.Outcome;
import io.docshift.core.store.DocumentResponse;
import io.docshift.core.store.StoreException;
import io.docshift.sandbox.s3.EmbeddedS3;
import io.docshift.testkit.EmbeddedS3Extension;
import io.docshift.testkit.Eventually;
import io.docshift.testkit.SlowSubscriber;
import io.docshift.testkit.TestBodies;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The cap on S3 read connections ({@code maxConcurrency}, as the SDK client had), against a real S3
 * on one event loop: bodies nobody reads yet hold their connections, so a read over the cap waits
 * in line and gets the first connection given back; one that waits longer than the connect timeout,
 * or finds the line full, fails as an S3 timeout before any response, which the read path answers
 * with Cloudinary.
 */
class S3ReadConnectionCapTest {
  @RegisterExtension static final EmbeddedS3Extension S3 = new EmbeddedS3Extension();

  private static final DocumentKey KEY = key("docs/capped");
  private static final int SIZE = 4 * 1024 * 1024;
  private static byte[] data;

  private EventLoopGroup loops;
  private NettyS3Store store;

  @BeforeAll
  static void seed() throws Exception {
    try (S3DocumentStore sdk =
        S3DocumentStore.create(S3DocumentStoreTest.settings(S3.s3().endpoint()))) {
      data = TestBodies.random(SIZE, 21);
      await(sdk.put(KEY, TestPutRequests.putRequest(data, "application/pdf")));
    }
  }

  @BeforeEach
  void start() {
    loops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  }

  @AfterEach
  void stop() {
    try {
      if (store != null) {
        store.close();
      }
    } finally {
      loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  private void open(int maxConnections, Duration connectTimeout) {
    S3Settings settings =
        S3Settings.builder(EmbeddedS3.REGION, EmbeddedS3Extension.BUCKET)
            .endpoint(S3.s3().endpoint())
            .credentials(EmbeddedS3Extension.ACCESS_KEY, EmbeddedS3Extension.SECRET_KEY)
            .pathStyle(true)
            .keyPrefix("mig/")
            .maxConcurrency(maxConnections)
            .connectTimeout(connectTimeout)
            .build();
    store =
        NettyS3Store.create(
            S3DocumentStore.create(settings), settings, loops, Duration.ofSeconds(60));
  }

  /** Waits until the loop has run everything queued before now (a read's start included). */
  private void loopCaughtUp() throws Exception {
    loops.next().submit(() -> {}).get(5, TimeUnit.SECONDS);
  }

  private CompletableFuture<DocumentResponse> read() {
    return store.get(KEY, Optional.empty());
  }

  private static byte[] body(DocumentResponse response) throws Exception {
    return await(SlowSubscriber.collect(response.body()));
  }

  @Test
  void aReadOverTheCapWaitsAndGetsTheFirstConnectionGivenBack() throws Exception {
    open(2, Duration.ofSeconds(10));
    DocumentResponse first = await(read());
    DocumentResponse second = await(read());

    CompletableFuture<DocumentResponse> third = read();
    loopCaughtUp();
    assertThat(third).as("two connections in use: the third read waits").isNotDone();
    assertThat(store.client().openConnections()).isEqualTo(2);

    assertThat(body(first)).isEqualTo(data); // its connection goes to the third read
    assertThat(body(await(third))).isEqualTo(data);
    assertThat(body(second)).isEqualTo(data);
    assertThat(store.client().connectionsOpened()).as("never a third connection").isEqualTo(2);
  }

  @Test
  void aPlaceFreedByADiscardedBodyLetsTheNextReadConnect() throws Exception {
    open(1, Duration.ofSeconds(10));
    DocumentResponse held = await(read());
    CompletableFuture<DocumentResponse> waiting = read();
    loopCaughtUp();
    assertThat(waiting).isNotDone();

    held.discard(); // a long body is not drained: its connection closes

    assertThat(body(await(waiting))).isEqualTo(data);
    assertThat(store.client().connectionsOpened()).isEqualTo(2);
    assertThat(store.client().openConnections()).isEqualTo(1);
  }

  @Test
  void aReadThatGetsNoConnectionWithinTheConnectTimeoutIsAnS3Timeout() throws Exception {
    open(1, Duration.ofMillis(300));
    DocumentResponse held = await(read());

    StoreException late = failure(read());

    assertThat(late.outcome()).isEqualTo(Outcome.S3_TIMEOUT);
    assertThat(late.outcome().isBackendFault()).as("counts toward auto-revert").isTrue();
    assertThat(late.getMessage()).contains("no connection free within 300 ms");
    assertThat(body(held)).as("the held read is untouched").isEqualTo(data);
    assertThat(store.client().connectionsOpened()).isEqualTo(1);
  }

  @Test
  void aReadThatFindsTheLineFullFailsAtOnceAndTheLineIsServedInOrder() throws Exception {
    open(1, Duration.ofSeconds(10));
    DocumentResponse held = await(read());
    List<CompletableFuture<DocumentResponse>> line = new ArrayList<>();
    for (int i = 0; i < 4; i++) { // four waiting per connection of the cap
      line.add(read());
    }
    loopCaughtUp();

    StoreException refused = failure(read());
    assertThat(refused.outcome()).isEqualTo(Outcome.S3_TIMEOUT);
    assertThat(refused.getMessage()).contains("the line for one is full");
    assertThat(line).noneMatch(CompletableFuture::isDone);

    assertThat(body(held)).isEqualTo(data);
    for (CompletableFuture<DocumentResponse> next : line) {
      assertThat(body(await(next))).isEqualTo(data);
    }
    assertThat(store.client().connectionsOpened())
        .as("one connection, handed down the line")
        .isEqualTo(1);
    Eventually.until(
        Duration.ofSeconds(5), () -> store.client().openConnections() == 1, "one idle connection");
  }
}
