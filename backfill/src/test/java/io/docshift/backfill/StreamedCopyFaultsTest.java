package io.docshift.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.backfill.Harness.Seeded;
import io.docshift.copier.CopyOutcome;
import io.docshift.copier.CopyOutcome.Kind;
import io.docshift.copier.DocumentCopier;
import io.docshift.copier.TestCopiers;
import io.docshift.core.store.DocumentStore;
import io.docshift.ledger.DocumentRecord;
import io.docshift.ledger.Ledger;
import io.docshift.ledger.S3State;
import io.docshift.testkit.CloudinaryEmulatorExtension;
import io.docshift.testkit.EmbeddedS3Extension;
import io.docshift.testkit.Eventually;
import io.docshift.testkit.UploadRelay;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streamed copy on the Netty clients under real network faults between the copier and S3Proxy
 * (a TCP relay, not a decorator): a connection reset mid-put is retried with a fresh download and
 * ends verified; a stalled S3 stops the Cloudinary download instead of buffering it.
 */
@Timeout(120)
class StreamedCopyFaultsTest {
  private static final int MIB = 1024 * 1024;

  @RegisterExtension
  static final CloudinaryEmulatorExtension CLOUDINARY = new CloudinaryEmulatorExtension();

  @RegisterExtension static final EmbeddedS3Extension S3 = new EmbeddedS3Extension();

  @TempDir Path spoolDir;

  private Ledger ledger;
  private DocumentStore cloudinary;
  private DocumentStore verifier;
  private UploadRelay relay;
  private DocumentStore s3;

  @BeforeEach
  void open() throws Exception {
    ledger = Runs.h2Ledger();
    cloudinary = Harness.cloudinary(CLOUDINARY.emulator());
    verifier = Harness.s3(S3.s3(), "faults/");
    relay = UploadRelay.to(S3.s3().endpoint());
    s3 = Harness.s3(relay.endpoint(), "faults/");
  }

  @AfterEach
  void close() throws Exception {
    try {
      relay.close();
      s3.close();
      verifier.close();
      cloudinary.close();
    } finally {
      ledger.close();
    }
  }

  private Seeded seed(int size) {
    return Harness.seedOne(
        CLOUDINARY.emulator(),
        "raw",
        "upload",
        "faults/" + UUID.randomUUID() + ".bin",
        new Random(size),
        size);
  }

  private DocumentRecord listed(Seeded doc) {
    return Harness.listed(ledger, doc);
  }

  private DocumentCopier copier(DocumentStore source) {
    return TestCopiers.copier(ledger.documents(), source, s3, spoolDir, d -> {});
  }

  private void assertVerified(Seeded doc, CopyOutcome outcome) throws Exception {
    assertThat(outcome.kind()).as(outcome.toString()).isEqualTo(Kind.COPIED);
    assertThat(ledger.documents().find(doc.ledgerKey()).orElseThrow().state())
        .isEqualTo(S3State.VERIFIED);
    assertThat(Harness.storedSha256(verifier, doc.key())).contains(doc.sha256());
  }

  @Test
  void s3ResetMidPutIsRetriedWithAFreshDownloadAndEndsVerified() throws Exception {
    Seeded doc = seed(4 * MIB);
    relay.resetAfter(MIB);

    CopyOutcome outcome = copier(cloudinary).copy(listed(doc));

    assertVerified(doc, outcome);
    assertThat(relay.uploaded()).isGreaterThan(4L * MIB + MIB / 2);
  }

  /**
   * While S3 reads nothing, the download is read only as far as the S3 connection's socket buffers
   * and write buffer take (a few MiB on loopback); without backpressure the whole 24 MiB would be
   * pulled from Cloudinary in well under the half second watched.
   */
  @Test
  void stalledS3StopsTheDownloadInsteadOfBufferingIt() throws Exception {
    Seeded doc = seed(24 * MIB);
    CutDownloads counted = new CutDownloads(cloudinary, 0);
    relay.pauseAfter(MIB);

    CompletableFuture<CopyOutcome> copy =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return copier(counted).copy(listed(doc));
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });

    Eventually.until(Duration.ofSeconds(10), () -> relay.uploaded() >= MIB, "the first MiB");
    assertThat(Eventually.holdsWithin(Duration.ofMillis(500), () -> counted.read() > 16L * MIB))
        .as("download read while S3 is stalled")
        .isFalse();
    relay.resume();
    assertVerified(doc, copy.get(60, TimeUnit.SECONDS));
    assertThat(counted.read()).isEqualTo(24L * MIB);
  }
}
