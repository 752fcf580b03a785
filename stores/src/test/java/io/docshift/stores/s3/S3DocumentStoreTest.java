package io.docshift.stores.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docshift.core.config.S3Settings;
import io.docshift.core.key.DeliveryType;
import io.docshift.core.key.DocumentKey;
import io.docshift.core.key.ResourceType;
import io.docshift.core.outcome.Outcome;
import io.docshift.core.store.ByteRange;
import io.docshift.core.store.ContentRange;
import io.docshift.core.store.DocumentMeta;
import io.docshift.core.store.DocumentResponse;
import io.docshift.core.store.PutRequest;
import io.docshift.core.store.PutResult;
import io.docshift.core.store.StoreException;
import io.docshift.sandbox.s3.EmbeddedS3;
import io.docshift.testkit.EmbeddedS3Extension;
import io.docshift.testkit.SlowSubscriber;
import io.docshift.testkit.TestBodies;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

class S3DocumentStoreTest {
  private static final String BUCKET = EmbeddedS3Extension.BUCKET;
  private static final String ACCESS = EmbeddedS3Extension.ACCESS_KEY;
  private static final String SECRET = EmbeddedS3Extension.SECRET_KEY;
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @RegisterExtension static final EmbeddedS3Extension S3 = new EmbeddedS3Extension();

  private static EmbeddedS3 s3;
  private static S3DocumentStore store;

  @BeforeAll
  static void start() {
    s3 = S3.s3();
    store = S3DocumentStore.create(settings(s3.endpoint()));
  }

  @AfterAll
  static void stop() {
    if (store != null) {
      store.close();
    }
  }

  static S3Settings settings(URI endpoint) {
    return S3Settings.builder(EmbeddedS3.REGION, BUCKET)
        .endpoint(endpoint)
        .credentials(ACCESS, SECRET)
        .pathStyle(true)
        .keyPrefix("mig/")
        .build();
  }

  static DocumentKey key(String publicId) {
    return DocumentKey.of("demo", ResourceType.IMAGE, DeliveryType.UPLOAD, publicId, "pdf");
  }

  static <T> T await(CompletableFuture<T> future) throws Exception {
    return future.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  static StoreException failure(CompletableFuture<?> future) {
    Throwable thrown = null;
    try {
      future.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      thrown = e.getCause();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    assertThat(thrown).as("future should fail").isInstanceOf(StoreException.class);
    return (StoreException) thrown;
  }

  @Test
  void roundTripKeepsBytesAndMetadata() throws Exception {
    byte[] data = TestBodies.random(3 * 1024 * 1024 + 17, 1);
    DocumentKey key = key("docs/round trip é");
    PutRequest request =
        PutRequest.builder(data.length, TestBodies.chunked(data, 64 * 1024))
            .contentType("application/pdf")
            .md5Hex(TestBodies.md5Hex(data))
            .sha256Hex(TestBodies.sha256Hex(data))
            .cloudinaryVersion(1_700_000_000L)
            .build();

    PutResult put = await(store.put(key, request));
    DocumentMeta head = await(store.head(key));
    DocumentResponse get = await(store.get(key, Optional.empty()));
    byte[] read = await(SlowSubscriber.collect(get.body()));

    assertThat(put.md5Hex()).contains(TestBodies.md5Hex(data));
    assertThat(head.length()).hasValue(data.length);
    assertThat(head.contentType()).isEqualTo("application/pdf");
    assertThat(head.md5Hex()).contains(TestBodies.md5Hex(data));
    assertThat(head.sha256Hex()).contains(TestBodies.sha256Hex(data));
    assertThat(head.version()).hasValue(1_700_000_000L);
    assertThat(head.lastModified()).isPresent();
    assertThat(head.etag()).contains("\"" + TestBodies.md5Hex(data) + "\"");
    assertThat(get.meta()).isEqualTo(head);
    assertThat(get.contentRange()).isEmpty();
    assertThat(read).isEqualTo(data);
  }

  @Test
  void objectKeyAndMetadataFollowTheDesignContract() throws Exception {
    byte[] data = TestBodies.random(100, 2);
    PutRequest request =
        PutRequest.builder(data.length, TestBodies.chunked(data, 7))
            .md5Hex(TestBodies.md5Hex(data))
            .sha256Hex(TestBodies.sha256Hex(data))
            .cloudinaryVersion(42)
            .build();
    await(store.put(key("folder/layout"), request));

    // Look at the bucket the way another tool would: plain SDK, exact object key.
    try (S3AsyncClient raw =
        S3AsyncClient.builder()
            .endpointOverride(s3.endpoint())
            .region(Region.of(EmbeddedS3.REGION))
            .forcePathStyle(true)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS, SECRET)))
            .httpClientBuilder(NettyNioAsyncHttpClient.builder())
            .build()) {
      HeadObjectResponse head =
          await(
              raw.headObject(b -> b.bucket(BUCKET).key("mig/demo/image/upload/folder/layout.pdf")));

      assertThat(head.metadata())
          .containsEntry("md5", TestBodies.md5Hex(data))
          .containsEntry("sha256", TestBodies.sha256Hex(data))
          .containsEntry("cloudinary-version", "42");
    }
  }

  @Test
  void rangeReadReturnsThePartAndTheTotal() throws Exception {
    byte[] data = TestBodies.random(10_000, 3);
    DocumentKey key = key("docs/ranged");
    await(store.put(key, TestPutRequests.putRequest(data, "application/pdf")));

    DocumentResponse closed = await(store.get(key, Optional.of(ByteRange.closed(100, 199))));
    byte[] part = await(SlowSubscriber.collect(closed.body()));
    DocumentResponse suffix = await(store.get(key, Optional.of(ByteRange.suffix(10))));
    byte[] tail = await(SlowSubscriber.collect(suffix.body()));

    assertThat(closed.contentRange()).contains(new ContentRange(100, 199, 10_000));
    assertThat(closed.meta().length()).hasValue(10_000);
    assertThat(closed.bodyLength()).hasValue(100);
    assertThat(part).isEqualTo(Arrays.copyOfRange(data, 100, 200));
    assertThat(suffix.contentRange()).contains(new ContentRange(9_990, 9_999, 10_000));
    assertThat(tail).isEqualTo(Arrays.copyOfRange(data, 9_990, 10_000));
  }

  @Test
  void unsatisfiableRangeIsAClientError() throws Exception {
    DocumentKey key = key("docs/short");
    await(store.put(key, TestPutRequests.putRequest(TestBodies.random(10, 4), "application/pdf")));

    StoreException e = failure(store.get(key, Optional.of(ByteRange.from(50))));

    assertThat(e.outcome()).isEqualTo(Outcome.CLIENT_ERROR);
  }

  @Test
  void wrongSha256IsRejectedAndNothingIsStored() throws Exception {
    byte[] data = TestBodies.random(200_000, 5);
    DocumentKey key = key("docs/corrupt-sha");
    PutRequest request =
        PutRequest.builder(data.length, TestBodies.chunked(data, 8192))
            .sha256Hex(TestBodies.sha256Hex("something else".getBytes()))
            .build();

    StoreException e = failure(store.put(key, request));

    assertThat(e.outcome()).isEqualTo(Outcome.CHECKSUM_MISMATCH);
    assertThat(failure(store.head(key)).outcome()).isEqualTo(Outcome.NOT_FOUND);
  }

  @Test
  void wrongMd5IsRejectedAndNothingIsStored() throws Exception {
    byte[] data = TestBodies.random(50_000, 6);
    DocumentKey key = key("docs/corrupt-md5");
    PutRequest request =
        PutRequest.builder(data.length, TestBodies.chunked(data, 8192))
            .md5Hex(TestBodies.md5Hex("something else".getBytes()))
            .build();

    StoreException e = failure(store.put(key, request));

    assertThat(e.outcome()).isEqualTo(Outcome.CHECKSUM_MISMATCH);
    assertThat(failure(store.head(key)).outcome()).isEqualTo(Outcome.NOT_FOUND);
  }

  @Test
  void missingDocumentIsNotFound() {
    DocumentKey key = key("docs/never-written");

    assertThat(failure(store.head(key)).outcome()).isEqualTo(Outcome.NOT_FOUND);
    assertThat(failure(store.get(key, Optional.empty())).outcome()).isEqualTo(Outcome.NOT_FOUND);
  }

  @Test
  void deleteReportsWhetherTheDocumentExisted() throws Exception {
    DocumentKey key = key("docs/deleted");
    await(store.put(key, TestPutRequests.putRequest(TestBodies.random(10, 7), "application/pdf")));

    assertThat(await(store.delete(key))).isTrue();
    assertThat(await(store.delete(key))).isFalse();
    assertThat(failure(store.head(key)).outcome()).isEqualTo(Outcome.NOT_FOUND);
  }

  @Test
  void closedPortIsAConnectFailure() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    try (S3DocumentStore dead =
        S3DocumentStore.create(settings(URI.create("http://127.0.0.1:" + port)))) {
      StoreException e = failure(dead.head(key("docs/x")));

      assertThat(e.outcome()).isEqualTo(Outcome.S3_CONNECT);
      assertThat(e.outcome().isBackendFault()).isTrue();
    }
  }

  @Test
  void slowConsumerGetsEveryByteAndNeverMoreThanItAsked() throws Exception {
    byte[] data = TestBodies.random(4 * 1024 * 1024 + 3, 8);
    DocumentKey key = key("docs/backpressure");
    await(store.put(key, TestPutRequests.putRequest(data, "application/pdf")));

    DocumentResponse response = await(store.get(key, Optional.empty()));
    SlowSubscriber.Result result = SlowSubscriber.readAll(response.body(), TIMEOUT);

    assertThat(result.overDelivered()).isZero();
    assertThat(result.chunks()).isGreaterThan(1);
    assertThat(result.bytes()).isEqualTo(data);
  }

  @Test
  void discardedBodyReleasesTheConnection() throws Exception {
    DocumentKey key = key("docs/discard");
    byte[] data = TestBodies.random(1024 * 1024, 9);
    await(store.put(key, TestPutRequests.putRequest(data, "application/pdf")));
    S3Settings one =
        S3Settings.builder(EmbeddedS3.REGION, BUCKET)
            .endpoint(s3.endpoint())
            .credentials(ACCESS, SECRET)
            .pathStyle(true)
            .keyPrefix("mig/")
            .maxConcurrency(1)
            .build();
    try (S3DocumentStore single = S3DocumentStore.create(one)) {
      for (int i = 0; i < 3; i++) {
        await(single.get(key, Optional.empty())).discard();
      }
      // With one connection, a leaked (never cancelled) body would block this read.
      assertThat(await(SlowSubscriber.collect(await(single.get(key, Optional.empty())).body())))
          .isEqualTo(data);
    }
  }

  @Test
  @SuppressWarnings("deprecation") // NioEventLoopGroup: the group type the AWS SDK recognises.
  void runsOnASharedEventLoopGroupAndLeavesItRunning() throws Exception {
    EventLoopGroup group = new NioEventLoopGroup(1);
    try {
      DocumentKey key = key("docs/shared-loop");
      byte[] data = TestBodies.random(5000, 10);
      try (S3DocumentStore shared = S3DocumentStore.create(settings(s3.endpoint()), group)) {
        await(shared.put(key, TestPutRequests.putRequest(data, "application/pdf")));
        assertThat(await(SlowSubscriber.collect(await(shared.get(key, Optional.empty())).body())))
            .isEqualTo(data);
      }
      assertThat(group.isShuttingDown()).isFalse();
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }

  @Test
  void unrecognisedEventLoopGroupIsRejectedWithAClearMessage() throws Exception {
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    try {
      assertThatThrownBy(() -> S3DocumentStore.create(settings(s3.endpoint()), group))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("group: io.netty.channel.MultiThreadIoEventLoopGroup (expected: ");
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }
}
