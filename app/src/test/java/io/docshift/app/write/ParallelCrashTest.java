package io.docshift.app.write;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.core.config.CloudinaryConfig;
import io.docshift.core.config.DocShiftConfig;
import io.docshift.core.config.WriteMode;
import io.docshift.ledger.S3State;
import io.docshift.testkit.Eventually;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code docshift serve} child in {@code DUAL_CLOUDINARY_PRIMARY} is killed (SIGKILL) after its
 * create-only S3 puts of two new image documents and before Cloudinary's answers (held back at a
 * fault gate): one upload Cloudinary accepts, one it refuses. After {@code docshift repair --once}
 * on the intents, both stores agree with the ledger: the accepted document is in both and verified,
 * the refused one in neither (its S3 object, named by the intent's format, removed).
 */
@Timeout(240)
class ParallelCrashTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final int HELD_MILLIS = 30_000;

  @TempDir Path dir;

  @Test
  void aKillBetweenTheParallelS3PutAndCloudinarysAnswerIsRepairedToAgreement() throws Exception {
    try (GatedCrashRig rig = GatedCrashRig.start(dir, WriteMode.DUAL_CLOUDINARY_PRIMARY)) {
      DocShiftConfig config = rig.config;
      StoreProbe stores = rig.stores;
      FaultGate cloudinary = rig.cloudinary;
      ServeChild serve = rig.serve;
      Doc accepted = Doc.image("crash/parallel-accepted");
      Doc refused = Doc.image("crash/parallel-refused");
      byte[] body = Bodies.pdf(400_000, accepted.seed());
      // The emulator takes the first upload, its answer is held back; the second is refused,
      // late. The newest stub wins, so each request meets the one set before it was sent.
      cloudinary.delayAnswers("POST", ".*/upload", HELD_MILLIS);
      CompletableFuture<?> first = post(config, serve.port(), accepted, body);
      awaitInS3(stores, accepted);
      // The S3 put can end before Cloudinary's request reached the gate (its digests are known
      // when the body is spooled): the next stub is set only once the emulator took it.
      Eventually.until(
          Duration.ofSeconds(20),
          () -> stores.cloudinary(accepted.path()) != null,
          "the emulator to have taken the accepted upload");
      cloudinary.faultAfter("POST", ".*/upload", FaultGate.Kind.HTTP_400, HELD_MILLIS);
      CompletableFuture<?> second =
          post(config, serve.port(), refused, Bodies.pdf(300_000, refused.seed()));
      awaitInS3(stores, refused);
      // Checked before the kill: once the process is gone the client sees the closed
      // connection at any moment and fails the futures, which is no answer either.
      assertThat(first).as("answered before the kill").isNotDone();
      assertThat(second).as("answered before the kill").isNotDone();
      serve.kill();

      rig.repairOnce();

      stores.assertVerifiedInBoth(accepted, body);
      assertThat(stores.s3(refused.path())).as("S3, refused").isNull();
      assertThat(stores.cloudinary(refused.path())).as("Cloudinary, refused").isNull();
      Optional<S3State> row = stores.row(refused.rt(), refused.publicId()).map(r -> r.state());
      assertThat(row.isEmpty() || row.get() == S3State.DELETED)
          .as("ledger, refused: none or a tombstone, not " + row)
          .isTrue();
      assertThat(stores.outboxRows()).isEmpty();
    }
  }

  private static void awaitInS3(StoreProbe stores, Doc doc) {
    Eventually.until(
        Duration.ofSeconds(20),
        () -> stores.s3(doc.path()) != null,
        "the parallel S3 put of " + doc.path());
  }

  private static CompletableFuture<HttpResponse<Void>> post(
      DocShiftConfig config, int port, Doc doc, byte[] body) {
    CloudinaryConfig c = config.cloudinary();
    SignedForm form =
        SignedForm.of(Map.of("public_id", doc.publicId()), c.apiKey(), c.apiSecret())
            .file(body, "doc.pdf");
    URI url = URI.create("http://127.0.0.1:" + port + "/v1_1/" + c.cloudName() + "/image/upload");
    return HTTP.sendAsync(
        HttpRequest.newBuilder(url)
            .header("Content-Type", SignedForm.contentType())
            .POST(HttpRequest.BodyPublishers.ofByteArray(form.body()))
            .build(),
        HttpResponse.BodyHandlers.discarding());
  }
}
