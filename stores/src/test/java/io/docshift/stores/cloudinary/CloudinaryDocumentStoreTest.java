package io.docshift.stores.cloudinary;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.core.config.CloudinaryAccount;
import io.docshift.core.key.DeliveryType;
import io.docshift.core.key.DocumentKey;
import io.docshift.core.key.ResourceType;
import io.docshift.core.outcome.Outcome;
import io.docshift.core.store.ByteRange;
import io.docshift.core.store.ContentRange;
import io.docshift.core.store.DocumentMeta;
import io.docshift.core.store.DocumentResponse;
import io.docshift.core.store.PutCondition;
import io.docshift.core.store.PutRequest;
import io.docshift.core.store.PutResult;
import io.docshift.core.store.StoreException;
import io.docshift.sandbox.emulator.CloudinaryEmulator;
import io.docshift.stores.s3.TestPutRequests;
import io.docshift.testkit.CloudinaryEmulatorExtension;
import io.docshift.testkit.EmulatorAccount;
import io.docshift.testkit.SlowSubscriber;
import io.docshift.testkit.TestBodies;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Against the sandbox's Cloudinary emulator on an ephemeral port: no mocks. */
class CloudinaryDocumentStoreTest {
  private static final String CLOUD = CloudinaryEmulatorExtension.CLOUD_NAME;
  private static final String SECRET = CloudinaryEmulatorExtension.API_SECRET;
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @RegisterExtension
  static final CloudinaryEmulatorExtension CLOUDINARY = new CloudinaryEmulatorExtension();

  private static CloudinaryEmulator emulator;
  private static CloudinaryDocumentStore store;

  @BeforeAll
  static void start() {
    emulator = CLOUDINARY.emulator();
    store = CloudinaryDocumentStore.builder(account(SECRET, emulator.baseUrl())).build();
  }

  @AfterAll
  static void stop() {
    if (store != null) {
      store.close();
    }
  }

  private static CloudinaryAccount account(String secret, URI base) {
    return EmulatorAccount.at(base, secret);
  }

  private static byte[] pdf(int length, long seed) {
    byte[] data = TestBodies.random(length, seed);
    byte[] magic = "%PDF-1.4\n".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(magic, 0, data, 0, magic.length);
    return data;
  }

  private static <T> T await(CompletableFuture<T> future) throws Exception {
    return future.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  private static StoreException failure(CompletableFuture<?> future) {
    try {
      future.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(StoreException.class);
      return (StoreException) e.getCause();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("future should have failed");
  }

  @Test
  void roundTripOfAPublicImage() throws Exception {
    byte[] data = pdf(2 * 1024 * 1024 + 5, 1);
    DocumentKey key =
        DocumentKey.of(CLOUD, ResourceType.IMAGE, DeliveryType.UPLOAD, "docs/report", "pdf");

    PutResult put = await(store.put(key, TestPutRequests.putRequest(data, "application/pdf")));
    DocumentMeta head = await(store.head(key));
    DocumentResponse get = await(store.get(key, Optional.empty()));
    byte[] read = await(SlowSubscriber.collect(get.body()));

    assertThat(put.md5Hex()).contains(TestBodies.md5Hex(data));
    assertThat(put.version()).isPresent();
    assertThat(head.length()).hasValue(data.length);
    assertThat(head.md5Hex()).contains(TestBodies.md5Hex(data));
    assertThat(head.contentType()).startsWith("application/pdf");
    assertThat(head.lastModified()).isPresent();
    assertThat(get.contentRange()).isEmpty();
    assertThat(read).isEqualTo(data);
  }

  @Test
  void rangeAndSlowConsumer() throws Exception {
    byte[] data = TestBodies.random(3 * 1024 * 1024, 2);
    DocumentKey key =
        DocumentKey.of(CLOUD, ResourceType.RAW, DeliveryType.UPLOAD, "docs/big.bin", null);
    await(store.put(key, TestPutRequests.putRequest(data, "application/octet-stream")));

    DocumentResponse ranged = await(store.get(key, Optional.of(ByteRange.closed(10, 1033))));
    byte[] part = await(SlowSubscriber.collect(ranged.body()));
    DocumentResponse whole = await(store.get(key, Optional.empty()));
    SlowSubscriber.Result slow = SlowSubscriber.readAll(whole.body(), TIMEOUT);

    assertThat(ranged.contentRange()).contains(new ContentRange(10, 1033, data.length));
    assertThat(ranged.meta().length()).hasValue(data.length);
    assertThat(part).isEqualTo(Arrays.copyOfRange(data, 10, 1034));
    assertThat(slow.overDelivered()).isZero();
    assertThat(slow.chunks()).isGreaterThan(1);
    assertThat(slow.bytes()).isEqualTo(data);
  }

  @Test
  void privateAndAuthenticatedOriginalsAreReadThroughSignedUrls() throws Exception {
    byte[] data = pdf(10_000, 3);
    DocumentKey rawPrivate =
        DocumentKey.of(CLOUD, ResourceType.RAW, DeliveryType.PRIVATE, "creds/license-1.pdf", null);
    DocumentKey authenticated =
        DocumentKey.of(CLOUD, ResourceType.IMAGE, DeliveryType.AUTHENTICATED, "creds/scan", "pdf");
    await(store.put(rawPrivate, TestPutRequests.putRequest(data, "application/pdf")));
    await(store.put(authenticated, TestPutRequests.putRequest(data, "application/pdf")));

    byte[] viaStore =
        await(SlowSubscriber.collect(await(store.get(rawPrivate, Optional.empty())).body()));
    DocumentMeta authHead = await(store.head(authenticated));
    HttpResponse<Void> unsigned =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(emulator.deliveryUrl() + "/raw/private/v1/creds/license-1.pdf"))
                    .build(),
                HttpResponse.BodyHandlers.discarding());

    assertThat(viaStore).isEqualTo(data);
    assertThat(authHead.md5Hex()).contains(TestBodies.md5Hex(data));
    assertThat(unsigned.statusCode()).isEqualTo(401);
  }

  @Test
  void missingDocumentsAreNotFound() {
    DocumentKey key = DocumentKey.of(CLOUD, ResourceType.IMAGE, DeliveryType.UPLOAD, "nope", "pdf");

    assertThat(failure(store.head(key)).outcome()).isEqualTo(Outcome.NOT_FOUND);
    assertThat(failure(store.get(key, Optional.empty())).outcome()).isEqualTo(Outcome.NOT_FOUND);
  }

  @Test
  void destroyReportsWhetherTheDocumentExisted() throws Exception {
    DocumentKey key =
        DocumentKey.of(CLOUD, ResourceType.RAW, DeliveryType.PRIVATE, "gone.txt", null);
    await(
        store.put(
            key, TestPutRequests.putRequest("bye".getBytes(StandardCharsets.UTF_8), "text/plain")));

    assertThat(await(store.delete(key))).isTrue();
    assertThat(await(store.delete(key))).isFalse();
    assertThat(failure(store.head(key)).outcome()).isEqualTo(Outcome.NOT_FOUND);
  }

  @Test
  void contradictingEtagIsAChecksumMismatch() {
    byte[] data = "some bytes".getBytes(StandardCharsets.UTF_8);
    DocumentKey key =
        DocumentKey.of(CLOUD, ResourceType.RAW, DeliveryType.UPLOAD, "mismatch.txt", null);
    PutRequest request =
        PutRequest.builder(data.length, TestBodies.chunked(data, 3))
            .md5Hex(TestBodies.md5Hex("other bytes".getBytes(StandardCharsets.UTF_8)))
            .build();

    assertThat(failure(store.put(key, request)).outcome()).isEqualTo(Outcome.CHECKSUM_MISMATCH);
  }

  @Test
  void conditionalPutIsRefusedNotIgnored() {
    byte[] data = pdf(100, 9);
    DocumentKey key =
        DocumentKey.of(CLOUD, ResourceType.RAW, DeliveryType.UPLOAD, "docs/cond.pdf", null);
    PutRequest request =
        PutRequest.builder(data.length, TestBodies.chunked(data, 64))
            .condition(PutCondition.ifAbsent())
            .build();

    assertThat(failure(store.put(key, request)).outcome()).isEqualTo(Outcome.LOCAL_ERROR);
    assertThat(failure(store.head(key)).outcome()).isEqualTo(Outcome.NOT_FOUND);
  }

  @Test
  void wrongSecretIsALocalErrorNotABackendFault() {
    DocumentKey key =
        DocumentKey.of(CLOUD, ResourceType.RAW, DeliveryType.UPLOAD, "denied.txt", null);
    byte[] data = "x".getBytes(StandardCharsets.UTF_8);
    try (CloudinaryDocumentStore wrong =
        CloudinaryDocumentStore.builder(account("not-the-secret", emulator.baseUrl())).build()) {
      StoreException e = failure(wrong.put(key, TestPutRequests.putRequest(data, "text/plain")));

      assertThat(e.outcome()).isEqualTo(Outcome.LOCAL_ERROR);
      assertThat(e).hasMessageContaining("Invalid Signature");
    }
  }

  @Test
  void requestTimestampsComeFromTheInjectedClock() {
    Clock twoHoursAgo = Clock.fixed(Instant.now().minus(Duration.ofHours(2)), ZoneOffset.UTC);
    DocumentKey key =
        DocumentKey.of(CLOUD, ResourceType.RAW, DeliveryType.UPLOAD, "stale.txt", null);
    byte[] data = "x".getBytes(StandardCharsets.UTF_8);
    try (CloudinaryDocumentStore stale =
        CloudinaryDocumentStore.builder(account(SECRET, emulator.baseUrl()))
            .clock(twoHoursAgo)
            .build()) {
      StoreException e = failure(stale.put(key, TestPutRequests.putRequest(data, "text/plain")));

      assertThat(e).hasMessageContaining("Stale request");
      assertThat(e.outcome().isBackendFault()).isFalse();
    }
  }

  @Test
  void closedPortIsAConnectFailure() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    DocumentKey key = DocumentKey.of(CLOUD, ResourceType.RAW, DeliveryType.UPLOAD, "x.txt", null);
    try (CloudinaryDocumentStore dead =
        CloudinaryDocumentStore.builder(account(SECRET, URI.create("http://127.0.0.1:" + port)))
            .build()) {
      assertThat(failure(dead.head(key)).outcome()).isEqualTo(Outcome.CLOUDINARY_CONNECT);
    }
  }
}
