package io.docshift.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.core.config.StoreSettings;
import io.docshift.core.config.WriteMode;
import io.docshift.ledger.DocumentRecord;
import io.docshift.ledger.LedgerKey;
import io.docshift.ledger.RepairOperation;
import io.docshift.ledger.S3State;
import io.docshift.stores.cloudinary.CloudinarySigner;
import io.docshift.testkit.CloudinaryEmulatorExtension;
import io.docshift.testkit.EmbeddedS3Extension;
import io.docshift.traffic.TrafficState;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dual-write upload while S3 accepts TCP, reads the PUT and never answers: the S3 write is cut at
 * {@code s3.writeTotalTimeoutMillis} (its socket read timeout is set far beyond the test, so only
 * the total deadline can end it), and the client gets Cloudinary's answer within that bound. End
 * state: Cloudinary holds the document (served through the proxy), the ledger row records it with
 * no S3 copy, and the outbox keeps the repair PUT that will copy it once S3 answers again.
 */
@Timeout(120)
class SilentS3WriteTest {
  private static final Duration WRITE_TOTAL = Duration.ofSeconds(1);

  /** The S3 write deadline, plus Cloudinary's upload, the ledger commits and slack. */
  private static final Duration BOUND = WRITE_TOTAL.plusSeconds(4);

  private static final String PUBLIC_ID = "silent-s3/upload";

  @RegisterExtension
  static final CloudinaryEmulatorExtension CLD = new CloudinaryEmulatorExtension();

  @RegisterExtension static final EmbeddedS3Extension S3 = new EmbeddedS3Extension();

  @TempDir static Path spool;
  static StubBackend silentS3;
  static ReadPathFixture fx;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    silentS3 = StubBackend.silent();
    fx =
        new ReadPathFixture(
            CLD.emulator(),
            S3.s3(),
            silentS3.url(),
            Map.of(
                "s3.writeTotalTimeoutMillis",
                Long.toString(WRITE_TOTAL.toMillis()),
                "s3.requestTimeoutMillis",
                "600000",
                "proxy.spoolDir",
                spool.toString()));
    fx.traffic.update(s -> new TrafficState(0, WriteMode.DUAL_CLOUDINARY_PRIMARY, 0));
  }

  @AfterAll
  static void stop() throws IOException {
    fx.close();
    silentS3.close();
  }

  @Test
  void theClientGetsCloudinarysAnswerWithinTheS3WriteDeadlineAndTheRepairStaysQueued()
      throws Exception {
    int before = silentS3.connections();
    long start = System.nanoTime();

    HttpResponse<String> answer = upload("the document S3 never acknowledges");

    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    assertThat(answer.body()).contains("\"public_id\":\"" + PUBLIC_ID + "\"");
    assertThat(took).as("time to answer").isLessThan(BOUND);
    assertThat(silentS3.connections()).as("S3 was asked").isGreaterThan(before);

    LedgerKey key =
        new LedgerKey(CloudinaryEmulatorExtension.CLOUD_NAME, "raw", "upload", PUBLIC_ID);
    DocumentRecord row = fx.ledger.documents().find(key).orElseThrow();
    assertThat(row.state()).as("no S3 copy recorded").isNotIn(S3State.COPIED, S3State.VERIFIED);
    assertThat(fx.ledger.outbox().queued(key, RepairOperation.PUT))
        .as("the repair PUT stays due")
        .isTrue();
    HttpResponse<String> read =
        http.send(
            HttpRequest.newBuilder(fx.url("/demo/raw/upload/" + PUBLIC_ID)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(read.body()).isEqualTo("the document S3 never acknowledges");
    assertThat(read.headers().firstValue("x-docshift-backend")).hasValue("cloudinary");
    FramingTest.assertSpoolEmpty(fx.proxy.spoolDirectory());
  }

  private HttpResponse<String> upload(String content) throws Exception {
    CloudinarySigner signer =
        CloudinarySigner.of(StoreSettings.cloudinaryAccount(fx.config.cloudinary()));
    String timestamp = Long.toString(System.currentTimeMillis() / 1000);
    String signature = signer.signParams(Map.of("public_id", PUBLIC_ID, "timestamp", timestamp));
    HttpRequest request = SignedUploads.request(fx, PUBLIC_ID, timestamp, signature, content);
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
