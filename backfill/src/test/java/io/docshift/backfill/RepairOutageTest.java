package io.docshift.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.backfill.Harness.Seeded;
import io.docshift.core.config.S3Settings;
import io.docshift.ledger.DocumentRecord;
import io.docshift.ledger.RepairOperation;
import io.docshift.ledger.S3State;
import io.docshift.ledger.UpsertOrigin;
import io.docshift.sandbox.emulator.CloudinaryEmulator;
import io.docshift.sandbox.s3.EmbeddedS3;
import io.docshift.stores.s3.S3DocumentStore;
import io.docshift.testkit.CloudinaryEmulatorExtension;
import io.docshift.testkit.EmbeddedS3Extension;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * S3 goes away while repairs are due: they fail, are rescheduled with the outbox's backoff (on the
 * ledger's clock, so no test waits for it), nothing is lost, and they converge once S3 is back. An
 * S3 that accepts and never answers pins a worker no longer than its total deadline.
 */
@Timeout(120)
class RepairOutageTest {
  @RegisterExtension
  static final CloudinaryEmulatorExtension CLOUDINARY = new CloudinaryEmulatorExtension();

  @TempDir Path spool;
  @TempDir Path s3Data;

  private EmbeddedS3 s3;
  private RepairFixture fx;

  @AfterEach
  void close() {
    if (fx != null) {
      fx.close();
      fx.s3.close();
    }
    if (s3 != null) {
      s3.close();
    }
  }

  private EmbeddedS3 startS3(int port) {
    return EmbeddedS3Extension.start(s3Data, port);
  }

  @Test
  void repairsFailWhileS3IsDownBackOffAndConvergeWhenItReturns() throws Exception {
    CloudinaryEmulator emulator = CLOUDINARY.emulator();
    s3 = startS3(0);
    int port = s3.port();
    fx = new RepairFixture(emulator, Harness.s3(s3, "outage/"), spool);
    Seeded doc = Harness.seedOne(emulator, "raw", "private", "outage/a.pdf", new Random(21));
    fx.ledger.documents().upsert(doc.ledgerAsset(), UpsertOrigin.WRITE);
    fx.ledger.outbox().enqueue(doc.ledgerKey(), RepairOperation.PUT, "read fallback");
    s3.close();
    s3 = null;

    RepairReport down = fx.worker.runOnce();

    assertThat(down.failed()).isEqualTo(1);
    assertThat(down.remaining()).isEqualTo(1);
    // Refused, or (when the stopping S3 still held the socket) timed out: an S3 fault either way.
    assertThat(fx.metrics.repairs()).singleElement().isIn("put:s3_connect", "put:s3_timeout");
    assertThat(fx.row(doc.ledgerKey()).state()).isEqualTo(S3State.ABSENT);

    s3 = startS3(port);
    RepairReport backingOff = fx.worker.runOnce(); // S3 is back, but the retry is not due yet
    assertThat(backingOff.applied() + backingOff.failed()).isZero();
    assertThat(backingOff.remaining()).isEqualTo(1);

    fx.clock.advance(Duration.ofSeconds(1)); // the first backoff: 1 s less up to 20 % jitter
    RepairReport back = fx.worker.runOnce();

    assertThat(back.applied()).isEqualTo(1);
    assertThat(back.remaining()).isZero();
    DocumentRecord row = fx.row(doc.ledgerKey());
    assertThat(row.state()).isEqualTo(S3State.VERIFIED);
    assertThat(Harness.storedSha256(fx.s3, doc.key())).contains(doc.sha256());
    assertThat(fx.metrics.repairs()).hasSize(2).last().isEqualTo("put:success");
  }

  @Test
  void aRowThatKeepsFailingIsRetriedForeverAtTheCappedDelayAndNeverDropped() throws Exception {
    CloudinaryEmulator emulator = CLOUDINARY.emulator();
    s3 = startS3(0);
    fx = new RepairFixture(emulator, Harness.s3(s3, "outage/"), spool);
    Seeded doc = Harness.seedOne(emulator, "raw", "upload", "outage/b.pdf", new Random(22));
    fx.ledger.documents().upsert(doc.ledgerAsset(), UpsertOrigin.WRITE);
    fx.ledger.outbox().enqueue(doc.ledgerKey(), RepairOperation.DELETE, "destroy failed");
    s3.close();
    s3 = null;

    for (int attempt = 1; attempt <= 6; attempt++) {
      RepairReport report = fx.worker.runOnce();
      assertThat(report.failed()).as("attempt %d", attempt).isEqualTo(1);
      assertThat(report.remaining()).isEqualTo(1);
      fx.clock.advance(Duration.ofMinutes(10)); // repair.maxBackoffMillis: always due again
    }
    assertThat(fx.metrics.repairs()).hasSize(6);
  }

  @Test
  void aSilentS3FailsTheRepairAtItsTotalDeadlineAndTheRowStaysDue() throws Exception {
    CloudinaryEmulator emulator = CLOUDINARY.emulator();
    try (SilentServer silent = new SilentServer()) {
      // The socket read timeout is far beyond the test and the worker's own wait is 30 s: only the
      // SDK's total deadline on the write can end the call within the bound.
      fx =
          new RepairFixture(
              emulator,
              S3DocumentStore.create(
                  S3Settings.builder(EmbeddedS3.REGION, EmbeddedS3Extension.BUCKET)
                      .endpoint(silent.url())
                      .credentials(EmbeddedS3Extension.ACCESS_KEY, EmbeddedS3Extension.SECRET_KEY)
                      .pathStyle(true)
                      .readTimeout(Duration.ofMinutes(10))
                      .writeTotalTimeout(Duration.ofSeconds(1))
                      .build()),
              spool);
      Seeded doc = Harness.seedOne(emulator, "raw", "upload", "outage/silent.pdf", new Random(23));
      fx.ledger.documents().upsert(doc.ledgerAsset(), UpsertOrigin.WRITE);
      fx.ledger.outbox().enqueue(doc.ledgerKey(), RepairOperation.PUT, "secondary failed");
      long start = System.nanoTime();

      RepairReport report = fx.worker.runOnce();

      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .as("time the worker was pinned")
          .isLessThan(Duration.ofSeconds(10));
      assertThat(silent.accepted()).as("S3 was asked").isPositive();
      assertThat(report.failed()).isEqualTo(1);
      assertThat(report.remaining()).isEqualTo(1);
      assertThat(fx.metrics.repairs()).singleElement().isEqualTo("put:s3_timeout");
      assertThat(fx.row(doc.ledgerKey()).state()).isEqualTo(S3State.ABSENT);
      assertThat(fx.ledger.outbox().queued(doc.ledgerKey(), RepairOperation.PUT)).isTrue();
    }
  }

  /** An S3 that accepts TCP and reads every byte sent, but never answers. */
  private static final class SilentServer implements AutoCloseable {
    private final ServerSocket server;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    SilentServer() throws IOException {
      server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      Thread accept = new Thread(this::accept, "silent-s3");
      accept.setDaemon(true);
      accept.start();
    }

    URI url() {
      return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    int accepted() {
      return sockets.size();
    }

    private void accept() {
      while (!server.isClosed()) {
        try {
          Socket socket = server.accept();
          sockets.add(socket);
          Thread read = new Thread(() -> drain(socket), "silent-s3-read");
          read.setDaemon(true);
          read.start();
        } catch (IOException e) {
          return; // closed
        }
      }
    }

    private static void drain(Socket socket) {
      try (InputStream in = socket.getInputStream()) {
        in.transferTo(OutputStream.nullOutputStream());
      } catch (IOException e) {
        // the test closed it
      }
    }

    @Override
    public void close() throws IOException {
      server.close();
      for (Socket socket : sockets) {
        socket.close();
      }
    }
  }
}
