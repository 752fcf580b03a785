package io.docshift.stores.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.docshift.core.config.CloudinaryAccount;
import io.docshift.core.key.DeliveryType;
import io.docshift.core.key.DocumentKey;
import io.docshift.core.key.ResourceType;
import io.docshift.core.outcome.Backend;
import io.docshift.core.outcome.Outcome;
import io.docshift.core.store.DocumentResponse;
import io.docshift.core.store.DocumentStore;
import io.docshift.core.store.StoreException;
import io.docshift.sandbox.emulator.CloudinaryEmulator;
import io.docshift.sandbox.emulator.EmulatorConfig;
import io.docshift.sandbox.emulator.StoredAsset;
import io.docshift.stores.cloudinary.CloudinaryDocumentStore;
import io.docshift.stores.cloudinary.NettyCloudinaryStore;
import io.docshift.testkit.CloudinaryEmulatorExtension;
import io.docshift.testkit.EmulatedAssets;
import io.docshift.testkit.EmulatorAccount;
import io.docshift.testkit.Eventually;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.ByteArrayOutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * The Netty upstream client behind {@link NettyCloudinaryStore}, against the real emulator (its own
 * instance, so it can be stopped mid-body and restarted on the same port), and WireMock only for a
 * server that answers too late.
 */
class UpstreamClientTest {
  private static final String CLOUD = CloudinaryEmulatorExtension.CLOUD_NAME;
  private static final String KEY = CloudinaryEmulatorExtension.API_KEY;
  private static final String SECRET = CloudinaryEmulatorExtension.API_SECRET;

  @TempDir Path data;
  private EventLoopGroup group;
  private CloudinaryEmulator emulator;
  private UpstreamClient client;
  private DocumentStore store;

  @BeforeEach
  void start() {
    group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    emulator = emulator(0);
    connect(emulator.baseUrl(), Duration.ofSeconds(10));
  }

  @AfterEach
  void stop() {
    try {
      store.close();
      client.close();
      emulator.close();
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  private CloudinaryEmulator emulator(int port) {
    return CloudinaryEmulator.start(
        EmulatorConfig.builder()
            .host("127.0.0.1")
            .port(port)
            .dataDir(data)
            .cloudName(CLOUD)
            .apiKey(KEY)
            .apiSecret(SECRET)
            .build());
  }

  /** Replaces the client and store of {@link #start()} with ones for {@code base}. */
  private void reconnect(URI base, Duration responseTimeout) {
    store.close();
    client.close();
    connect(base, responseTimeout);
  }

  private void connect(URI base, Duration responseTimeout) {
    CloudinaryAccount account = EmulatorAccount.at(base);
    client =
        UpstreamClient.create(
            account.deliveryUrl(),
            group,
            UpstreamSettings.of(Backend.CLOUDINARY, Duration.ofSeconds(2), responseTimeout));
    store =
        NettyCloudinaryStore.create(
            account, client, CloudinaryDocumentStore.builder(account).build());
  }

  private DocumentKey seed(String publicId, byte[] bytes) {
    StoredAsset asset = EmulatedAssets.seedRaw(emulator, publicId, bytes);
    return DocumentKey.of(CLOUD, ResourceType.RAW, DeliveryType.UPLOAD, asset.publicId(), null);
  }

  private static byte[] random(int length) {
    byte[] bytes = new byte[length];
    new Random(length).nextBytes(bytes);
    return bytes;
  }

  private DocumentResponse get(DocumentKey key) throws Exception {
    return store.get(key, Optional.empty()).get(10, TimeUnit.SECONDS);
  }

  /** Starts reading {@code key}'s body and waits for its first piece; asks for nothing more. */
  private Reader firstPiece(DocumentKey key) throws Exception {
    Reader reader = new Reader();
    get(key).body().subscribe(reader);
    reader.request(1);
    reader.first.get(10, TimeUnit.SECONDS);
    return reader;
  }

  private static StoreException failure(CompletableFuture<?> call) {
    assertThatThrownBy(() -> call.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(StoreException.class);
    return (StoreException) call.handle((v, t) -> t).join();
  }

  /** Waits for connection closes, which complete on the event loop after the call did. */
  private void awaitOpenConnections(int expected) {
    Eventually.holdsWithin(Duration.ofSeconds(2), () -> client.openConnections() == expected);
    assertThat(client.openConnections()).isEqualTo(expected);
  }

  @Test
  void sequentialReadsReuseOneKeepAliveConnection() throws Exception {
    byte[] bytes = random(100_000);
    DocumentKey key = seed("docs/reused.bin", bytes);
    for (int i = 0; i < 20; i++) {
      Reader reader = new Reader();
      get(key).body().subscribe(reader);
      reader.request(Long.MAX_VALUE);
      assertThat(reader.done.get(10, TimeUnit.SECONDS)).isEqualTo(bytes);
      assertThat(store.head(key).get(10, TimeUnit.SECONDS).length()).hasValue(bytes.length);
    }
    assertThat(client.connectionsOpened()).isEqualTo(1);
    assertThat(client.openConnections()).isEqualTo(1);
  }

  @Test
  void errorsAndAbortsLeaveNoConnectionBehind() throws Exception {
    DocumentKey big = seed("docs/big.bin", random(4_000_000));
    DocumentKey missing =
        DocumentKey.of(CLOUD, ResourceType.RAW, DeliveryType.UPLOAD, "no/such", null);
    for (int i = 0; i < 5; i++) {
      assertThat(failure(store.get(missing, Optional.empty())).outcome())
          .isEqualTo(Outcome.NOT_FOUND);
      firstPiece(big).subscription.cancel();
      get(big).discard();
    }
    assertThat(failure(store.head(missing)).outcome()).isEqualTo(Outcome.NOT_FOUND);
    // A 404 leaves its connection reusable (the next read took it); every abandoned body closed
    // its own, so only the last 404's connection is still open.
    awaitOpenConnections(1);
    assertThat(client.connectionsOpened()).isEqualTo(11);
  }

  @Test
  void anUpstreamThatClosesMidBodyFailsTheBodyAsAConnectFailure() throws Exception {
    // Larger than what loopback socket buffers can hold, so the close really cuts the body.
    byte[] bytes = random(32_000_000);
    DocumentKey key = seed("docs/cut.bin", bytes);
    Reader reader = firstPiece(key);
    emulator.close();
    reader.request(Long.MAX_VALUE);
    assertThatThrownBy(() -> reader.done.get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(StoreException.class);
    StoreException e = (StoreException) reader.done.handle((v, t) -> t).join();
    assertThat(e.outcome()).isEqualTo(Outcome.CLOUDINARY_CONNECT);
    assertThat(reader.received()).isLessThan(bytes.length);
    awaitOpenConnections(0);
    emulator = emulator(0); // for stop()
  }

  @Test
  void aPooledConnectionTheServerClosedIsReplacedByANewOne() throws Exception {
    byte[] bytes = random(1024);
    DocumentKey key = seed("docs/retried.bin", bytes);
    assertThat(store.head(key).get(10, TimeUnit.SECONDS).length()).hasValue(1024);
    int port = emulator.port();
    emulator.close();
    emulator = emulator(port);
    assertThat(store.head(key).get(10, TimeUnit.SECONDS).length()).hasValue(1024);
    assertThat(client.connectionsOpened()).isEqualTo(2);
    awaitOpenConnections(1);
  }

  @Test
  void aBodyPausedByItsReaderIsNotATimeout() throws Exception {
    reconnect(emulator.baseUrl(), Duration.ofMillis(300));
    byte[] bytes = random(3_000_000);
    DocumentKey key = seed("docs/paused.bin", bytes);
    Reader reader = firstPiece(key);
    Thread.sleep(900);
    reader.request(Long.MAX_VALUE);
    assertThat(reader.done.get(10, TimeUnit.SECONDS)).isEqualTo(bytes);
  }

  @Test
  void noResponseHeadersWithinTheTimeoutIsACloudinaryTimeout() throws Exception {
    WireMockServer slow = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    slow.start();
    try {
      slow.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withFixedDelay(5_000)));
      reconnect(URI.create(slow.baseUrl()), Duration.ofMillis(300));
      DocumentKey key = DocumentKey.of(CLOUD, ResourceType.RAW, DeliveryType.UPLOAD, "slow", null);
      assertThat(failure(store.get(key, Optional.empty())).outcome())
          .isEqualTo(Outcome.CLOUDINARY_TIMEOUT);
      assertThat(failure(store.head(key)).outcome()).isEqualTo(Outcome.CLOUDINARY_TIMEOUT);
      awaitOpenConnections(0);
    } finally {
      slow.stop();
    }
  }

  @Test
  void aRefusedConnectionIsAConnectFailure() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    reconnect(URI.create("http://127.0.0.1:" + port), Duration.ofSeconds(2));
    DocumentKey key = DocumentKey.of(CLOUD, ResourceType.RAW, DeliveryType.UPLOAD, "x", null);
    assertThat(failure(store.head(key)).outcome()).isEqualTo(Outcome.CLOUDINARY_CONNECT);
    awaitOpenConnections(0);
  }

  /** Collects a body with demand controlled by the test. */
  private static final class Reader implements Subscriber<ByteBuffer> {
    final CompletableFuture<Void> first = new CompletableFuture<>();
    final CompletableFuture<byte[]> done = new CompletableFuture<>();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final CompletableFuture<Subscription> subscribed = new CompletableFuture<>();
    volatile Subscription subscription;

    @Override
    public void onSubscribe(Subscription s) {
      subscription = s;
      subscribed.complete(s);
    }

    void request(long n) throws Exception {
      subscribed.get(10, TimeUnit.SECONDS).request(n);
    }

    @Override
    public synchronized void onNext(ByteBuffer item) {
      byte[] chunk = new byte[item.remaining()];
      item.get(chunk);
      bytes.writeBytes(chunk);
      first.complete(null);
    }

    @Override
    public void onError(Throwable t) {
      done.completeExceptionally(t);
    }

    @Override
    public synchronized void onComplete() {
      done.complete(bytes.toByteArray());
    }

    synchronized int received() {
      return bytes.size();
    }
  }
}
