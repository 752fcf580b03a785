package io.docshift.write;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.copier.CopyOutcome;
import io.docshift.copier.DocumentCopier;
import io.docshift.copier.TestCopiers;
import io.docshift.core.config.CloudinaryAccount;
import io.docshift.core.config.S3Settings;
import io.docshift.core.config.WriteMode;
import io.docshift.core.key.DeliveryType;
import io.docshift.core.key.DocumentKey;
import io.docshift.core.key.ResourceType;
import io.docshift.core.metrics.MetricsRecorder;
import io.docshift.core.store.DocumentMeta;
import io.docshift.core.store.PutRequest;
import io.docshift.ledger.CloudinaryAsset;
import io.docshift.ledger.DocumentRecord;
import io.docshift.ledger.Ledger;
import io.docshift.ledger.LedgerKey;
import io.docshift.ledger.LedgerSettings;
import io.docshift.ledger.RepairOperation;
import io.docshift.ledger.S3State;
import io.docshift.sandbox.s3.EmbeddedS3;
import io.docshift.stores.cloudinary.CloudinaryDocumentStore;
import io.docshift.stores.cloudinary.CloudinarySigner;
import io.docshift.stores.s3.S3DocumentStore;
import io.docshift.testkit.CloudinaryEmulatorExtension;
import io.docshift.testkit.EmbeddedS3Extension;
import io.docshift.testkit.EmulatorAccount;
import io.docshift.testkit.SlowSubscriber;
import io.docshift.testkit.TestBodies;
import io.docshift.traffic.TrafficState;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.reactivestreams.Publisher;
import software.amazon.awssdk.core.async.AsyncRequestBody;

/**
 * The secondary S3 write of a {@code DUAL_CLOUDINARY_PRIMARY} upload while another writer writes
 * the same document, over the real emulator, S3Proxy and an H2 ledger; a store decorator ({@link
 * OrderedS3}) only orders the writers' calls. What S3 holds is judged by the copier's rules: a
 * streamed copy of the same bytes (no SHA-256 in its metadata) counts as the write, and a newer
 * version is never overwritten. End state asserted in Cloudinary, S3, the ledger and the outbox.
 */
@Timeout(120)
class SecondaryS3RaceTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @RegisterExtension
  static final CloudinaryEmulatorExtension CLD = new CloudinaryEmulatorExtension();

  @RegisterExtension static final EmbeddedS3Extension S3 = new EmbeddedS3Extension();

  @TempDir Path dir;

  private Ledger ledger;
  private CloudinaryApi api;
  private CloudinaryDocumentStore cloudinary;
  private S3DocumentStore s3;
  private OrderedS3 writeS3;
  private OrderedS3 copierS3;
  private ExecutorService pool;
  private WriteService service;
  private CloudinarySigner signer;

  @BeforeEach
  void start() throws Exception {
    CloudinaryAccount account = account();
    signer = CloudinarySigner.of(account);
    ledger = Ledger.open(LedgerSettings.builder("jdbc:h2:mem:race-" + UUID.randomUUID()).build());
    api = new CloudinaryApi(account.apiUrl(), TIMEOUT, TIMEOUT);
    cloudinary = CloudinaryDocumentStore.builder(account).build();
    s3 = S3DocumentStore.create(s3Settings());
    writeS3 = new OrderedS3(s3);
    copierS3 = new OrderedS3(s3);
    pool = Executors.newFixedThreadPool(4);
    TrafficState dual = new TrafficState(0, WriteMode.DUAL_CLOUDINARY_PRIMARY, 0);
    service =
        new WriteService(
            account,
            api,
            cloudinary,
            writeS3,
            WriteLedger.of(ledger),
            () -> dual,
            MetricsRecorder.NOOP,
            pool,
            Files.createDirectories(dir.resolve("spool")),
            Clock.systemUTC(),
            key -> {});
  }

  @AfterEach
  void stop() throws Exception {
    pool.shutdownNow();
    pool.awaitTermination(10, TimeUnit.SECONDS);
    api.close();
    cloudinary.close();
    s3.close();
    ledger.close();
  }

  /**
   * The same bytes uploaded again: while Cloudinary takes the new version, a streamed copy of it (a
   * listing of the new version, S3 still holding the first) inspects S3 and puts on the ETag it
   * saw; the secondary's put lands first and the copy replaces it, so S3 ends with the copy's
   * object, which has the bytes' MD5 but no SHA-256. That is this write's bytes: the row is
   * verified and the intent settled.
   */
  @Test
  void aStreamedCopyOfTheSameBytesThatReplacedTheSecondaryWriteCountsAsTheWrite() throws Exception {
    String id = "race/same-bytes.bin";
    byte[] bytes = TestBodies.random(40_000, 7);
    assertThat(upload(id, bytes).status()).isEqualTo(200);
    DocumentRecord first = row(id);
    assertThat(first.state()).isEqualTo(S3State.VERIFIED);
    DocumentCopier copier = copier();
    CompletableFuture<Void> secondaryPut = new CompletableFuture<>();
    copierS3.holdPutsUntil(secondaryPut);
    long[] asked = new long[1];
    writeS3.onNextPut(
        (key, request) -> {
          asked[0] = request.cloudinaryVersion().getAsLong();
          DocumentRecord listed = listing(first, asked[0]);
          CompletableFuture<CopyOutcome> copied = copyAsync(copier, listed);
          return copierS3
              .headed()
              .thenCompose(x -> s3.put(key, request))
              .thenCompose(
                  result -> {
                    secondaryPut.complete(null);
                    return copied.thenApply(outcome -> result);
                  });
        });

    ApiAnswer answer = upload(id, bytes);

    assertThat(answer.status()).isEqualTo(200);
    long version = asked[0];
    assertThat(version).as("Cloudinary's new version").isGreaterThan(first.asset().version());
    assertThat(cloudinaryMd5(id)).isEqualTo(TestBodies.md5Hex(bytes));
    DocumentMeta held = s3.head(key(id)).get(30, TimeUnit.SECONDS);
    assertThat(held.sha256Hex()).as("the streamed copy's object replaced the write's").isEmpty();
    assertThat(held.version()).hasValue(version);
    assertThat(s3Bytes(id)).isEqualTo(bytes);
    DocumentRecord row = row(id);
    assertThat(row.state()).isEqualTo(S3State.VERIFIED);
    assertThat(row.asset().version()).isEqualTo(version);
    assertThat(row.s3().sha256()).isEqualTo(TestBodies.sha256Hex(bytes));
    assertThat(ledger.outbox().queued(ledgerKey(id), RepairOperation.PUT)).isFalse();
  }

  /**
   * A put S3 accepted is the write: S3 checked its {@code Content-MD5} and SHA-256 and answered the
   * MD5 as ETag, so the row is verified and the intent settled without a {@code HEAD}. (An
   * overwrite, so the secondary's sequential put after Cloudinary's answer, with the version.)
   */
  @Test
  void aPutS3AcceptedIsRecordedWithoutAskingS3Again() throws Exception {
    String id = "plain/accepted.bin";
    byte[] bytes = TestBodies.random(20_000, 9);
    assertThat(upload(id, TestBodies.random(20_000, 10)).status()).isEqualTo(200);

    ApiAnswer answer = upload(id, bytes);

    assertThat(answer.status()).isEqualTo(200);
    assertThat(writeS3.headed()).as("a HEAD after the accepted put").isNotDone();
    DocumentRecord row = row(id);
    assertThat(row.state()).isEqualTo(S3State.VERIFIED);
    assertThat(row.s3().sha256()).isEqualTo(TestBodies.sha256Hex(bytes));
    assertThat(ledger.outbox().queued(ledgerKey(id), RepairOperation.PUT)).isFalse();
    assertThat(s3Bytes(id)).isEqualTo(bytes);
    DocumentMeta held = s3.head(key(id)).get(30, TimeUnit.SECONDS);
    assertThat(held.version()).as("the put's own metadata").hasValue(row.asset().version());
    assertThat(held.sha256Hex()).hasValue(TestBodies.sha256Hex(bytes));
  }

  /**
   * A new document's signed upload is put to S3 beside Cloudinary's, create-only and without a
   * version claim (Cloudinary names the version only in its answer): S3's acceptance is the write,
   * no {@code HEAD} follows, and the version is recorded in the ledger's row.
   */
  @Test
  void aNewDocumentsParallelPutIsRecordedWithItsVersionInTheRow() throws Exception {
    String id = "plain/parallel.bin";
    byte[] bytes = TestBodies.random(25_000, 12);
    AtomicInteger puts = writeS3.countPuts();

    ApiAnswer answer = upload(id, bytes);

    assertThat(answer.status()).isEqualTo(200);
    assertThat(puts.get()).as("one create-only put").isEqualTo(1);
    assertThat(writeS3.headed()).as("a HEAD after the accepted put").isNotDone();
    DocumentMeta held = s3.head(key(id)).get(30, TimeUnit.SECONDS);
    assertThat(held.version()).as("no version claim").isEmpty();
    assertThat(held.sha256Hex()).hasValue(TestBodies.sha256Hex(bytes));
    assertThat(s3Bytes(id)).isEqualTo(bytes);
    DocumentRecord row = row(id);
    assertThat(row.state()).isEqualTo(S3State.VERIFIED);
    assertThat(row.s3().version()).isEqualTo(row.asset().version());
    assertThat(row.s3().sha256()).isEqualTo(TestBodies.sha256Hex(bytes));
    assertThat(ledger.outbox().queued(ledgerKey(id), RepairOperation.PUT)).isFalse();
  }

  /**
   * A streamed copy of the uploaded bytes reached S3 before the secondary's put of an overwrite:
   * the put's {@code If-Match} on the recorded copy is refused, S3 is asked, and the copy is taken
   * as the write (no second put).
   */
  @Test
  void aStreamedCopyThatGotThereFirstIsTakenAsTheWriteWithoutAnotherPut() throws Exception {
    String id = "race/copy-first.bin";
    byte[] bytes = TestBodies.random(30_000, 8);
    assertThat(upload(id, TestBodies.random(30_000, 7)).status()).isEqualTo(200);
    AtomicInteger puts = writeS3.countPuts();
    long[] asked = new long[1];
    writeS3.onNextPut(
        (key, request) -> {
          asked[0] = request.cloudinaryVersion().getAsLong();
          return s3.put(key, streamedCopy(bytes, asked[0])).thenCompose(x -> s3.put(key, request));
        });

    ApiAnswer answer = upload(id, bytes);

    assertThat(answer.status()).isEqualTo(200);
    assertThat(puts.get()).as("the secondary's puts, the refused one included").isEqualTo(1);
    DocumentMeta held = s3.head(key(id)).get(30, TimeUnit.SECONDS);
    assertThat(held.sha256Hex()).as("still the streamed copy's object").isEmpty();
    assertThat(held.version()).hasValue(asked[0]);
    assertThat(cloudinaryMd5(id)).isEqualTo(TestBodies.md5Hex(bytes));
    assertThat(s3Bytes(id)).isEqualTo(bytes);
    DocumentRecord row = row(id);
    assertThat(row.state()).isEqualTo(S3State.VERIFIED);
    assertThat(row.asset().version()).isEqualTo(asked[0]);
    assertThat(row.s3().sha256()).isEqualTo(TestBodies.sha256Hex(bytes));
    assertThat(ledger.outbox().queued(ledgerKey(id), RepairOperation.PUT)).isFalse();
  }

  /**
   * Another writer put a newer version with other bytes after the ledger recorded the first: the
   * secondary's {@code If-Match} on the recorded copy is refused and S3 shows the newer version,
   * which is left alone. The client still gets Cloudinary's answer; the row is not verified and the
   * repair intent stays due (the repair worker copies whatever Cloudinary holds).
   */
  @Test
  void aNewerVersionInS3IsNeverOverwrittenAndTheIntentStaysDue() throws Exception {
    String id = "race/newer.bin";
    byte[] bytes = TestBodies.random(20_000, 9);
    assertThat(upload(id, bytes).status()).isEqualTo(200);
    byte[] newer = "a newer writer's bytes".getBytes(StandardCharsets.UTF_8);
    long[] asked = new long[1];
    long[] newerVersion = new long[1];
    writeS3.onNextPut(
        (key, request) -> {
          asked[0] = request.cloudinaryVersion().getAsLong();
          newerVersion[0] = asked[0] + 1000;
          PutRequest other =
              PutRequest.builder(newer.length, AsyncRequestBody.fromBytes(newer))
                  .md5Hex(TestBodies.md5Hex(newer))
                  .sha256Hex(TestBodies.sha256Hex(newer))
                  .cloudinaryVersion(newerVersion[0])
                  .build();
          return s3.put(key, other).thenCompose(x -> s3.put(key, request));
        });
    byte[] second = TestBodies.random(20_000, 10);

    ApiAnswer answer = upload(id, second);

    assertThat(answer.status()).isEqualTo(200);
    assertThat(s3Bytes(id)).as("the newer object is kept").isEqualTo(newer);
    assertThat(s3.head(key(id)).get(30, TimeUnit.SECONDS).version()).hasValue(newerVersion[0]);
    DocumentRecord row = row(id);
    assertThat(row.asset().version()).isEqualTo(asked[0]);
    assertThat(row.state()).isNotIn(S3State.VERIFIED, S3State.COPIED);
    assertThat(ledger.outbox().queued(ledgerKey(id), RepairOperation.PUT)).isTrue();
    assertThat(cloudinaryMd5(id)).isEqualTo(TestBodies.md5Hex(second));
  }

  private ApiAnswer upload(String id, byte[] bytes) throws Exception {
    String timestamp = Long.toString(Instant.now().getEpochSecond());
    String signature = signer.signParams(Map.of("public_id", id, "timestamp", timestamp));
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(
        (part("public_id", id)
                + part("timestamp", timestamp)
                + part("api_key", CloudinaryEmulatorExtension.API_KEY)
                + part("signature", signature)
                + "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.bin\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8));
    body.writeBytes(bytes);
    body.writeBytes("\r\n--b--\r\n".getBytes(StandardCharsets.UTF_8));
    Path file = service.newCallDirectory().resolve("body");
    Files.write(file, body.toByteArray());
    UploadCall call =
        new UploadCall(
            "raw",
            "/v1_1/" + CloudinaryEmulatorExtension.CLOUD_NAME + "/raw/upload",
            file,
            Map.of("Content-Type", "multipart/form-data; boundary=b"),
            "localhost",
            null);
    return service.upload(call).get(60, TimeUnit.SECONDS);
  }

  private static String part(String name, String value) {
    return "--b\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n";
  }

  /** What a streamed copy puts: the MD5 and the version, no SHA-256. */
  private static PutRequest streamedCopy(byte[] bytes, long version) {
    return PutRequest.builder(bytes.length, AsyncRequestBody.fromBytes(bytes))
        .md5Hex(TestBodies.md5Hex(bytes))
        .cloudinaryVersion(version)
        .build();
  }

  /** The row a listing of {@code version} would give the copier, S3 as the ledger recorded it. */
  private static DocumentRecord listing(DocumentRecord row, long version) {
    CloudinaryAsset a = row.asset();
    CloudinaryAsset listed = new CloudinaryAsset(a.key(), a.format(), version, a.etag(), a.bytes());
    return new DocumentRecord(
        row.id(),
        listed,
        row.s3(),
        null,
        null,
        0,
        Optional.empty(),
        row.createdAt(),
        row.updatedAt());
  }

  private CompletableFuture<CopyOutcome> copyAsync(DocumentCopier copier, DocumentRecord row) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return copier.copy(row);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompletionException(e);
          }
        },
        pool);
  }

  private DocumentCopier copier() {
    return TestCopiers.copier(ledger.documents(), cloudinary, copierS3, dir, d -> {});
  }

  /** The MD5 of what Cloudinary delivers for {@code id}. */
  private String cloudinaryMd5(String id) throws Exception {
    byte[] held = bytes(cloudinary.get(key(id), Optional.empty()).get(30, TimeUnit.SECONDS).body());
    return TestBodies.md5Hex(held);
  }

  private byte[] s3Bytes(String id) throws Exception {
    return bytes(s3.get(key(id), Optional.empty()).get(30, TimeUnit.SECONDS).body());
  }

  private static byte[] bytes(Publisher<ByteBuffer> body) throws Exception {
    return SlowSubscriber.collect(body).get(30, TimeUnit.SECONDS);
  }

  private DocumentRecord row(String id) {
    return ledger.documents().find(ledgerKey(id)).orElseThrow();
  }

  private static LedgerKey ledgerKey(String id) {
    return new LedgerKey(CloudinaryEmulatorExtension.CLOUD_NAME, "raw", "upload", id);
  }

  private static DocumentKey key(String id) {
    return DocumentKey.of(
        CloudinaryEmulatorExtension.CLOUD_NAME, ResourceType.RAW, DeliveryType.UPLOAD, id, null);
  }

  private static CloudinaryAccount account() {
    return EmulatorAccount.at(CLD.emulator().baseUrl());
  }

  private static S3Settings s3Settings() {
    return S3Settings.builder(EmbeddedS3.REGION, EmbeddedS3Extension.BUCKET)
        .endpoint(S3.s3().endpoint())
        .credentials(EmbeddedS3Extension.ACCESS_KEY, EmbeddedS3Extension.SECRET_KEY)
        .pathStyle(true)
        .keyPrefix("race-" + UUID.randomUUID() + "/")
        .build();
  }
}
