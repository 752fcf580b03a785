package io.docshift.backfill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docshift.backfill.Harness.Seeded;
import io.docshift.copier.FileSpoolBuffer;
import io.docshift.copier.MemorySpoolBuffer;
import io.docshift.copier.Spool;
import io.docshift.copier.Spooled;
import io.docshift.core.store.DocumentStore;
import io.docshift.testkit.CloudinaryEmulatorExtension;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.Semaphore;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Where {@link Spool} keeps a download: heap within the budget, else a file; both hash alike. */
@Timeout(60)
class SpoolTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @RegisterExtension
  static final CloudinaryEmulatorExtension CLOUDINARY = new CloudinaryEmulatorExtension();

  @TempDir Path dir;

  private DocumentStore cloudinary;
  private Seeded doc;

  @BeforeEach
  void open(org.junit.jupiter.api.TestInfo info) {
    cloudinary = Harness.cloudinary(CLOUDINARY.emulator());
    String name = info.getTestMethod().orElseThrow().getName();
    doc = Harness.seedOne(CLOUDINARY.emulator(), "raw", "private", "spool/" + name, new Random(9));
  }

  @AfterEach
  void close() {
    cloudinary.close();
  }

  @Test
  void aDocumentWithinTheBudgetStaysInMemoryAndHashesLikeTheSource() throws Exception {
    Spool spool = new Spool(dir, 1 << 20, TIMEOUT);

    try (Spooled spooled = spool.fetch(cloudinary, doc.key())) {
      assertThat(spooled.buffer()).isInstanceOf(MemorySpoolBuffer.class);
      assertThat(spooled.md5()).isEqualTo(doc.asset().etag());
      assertThat(spooled.sha256()).isEqualTo(doc.sha256());
      assertThat(spooled.length()).isEqualTo(doc.asset().bytes());
      assertThat(Harness.sha256(spooled.body())).isEqualTo(doc.sha256());
      assertThat(Harness.sha256(spooled.body())).as("the body replays").isEqualTo(doc.sha256());
    }
    assertThat(dir).isEmptyDirectory();
  }

  @Test
  void theBudgetIsSharedAndGivenBackOnClose() throws Exception {
    Spool spool = new Spool(dir, (int) doc.asset().bytes(), TIMEOUT);

    Spooled first = spool.fetch(cloudinary, doc.key());
    try (Spooled second = spool.fetch(cloudinary, doc.key())) {
      assertThat(first.buffer()).isInstanceOf(MemorySpoolBuffer.class);
      assertThat(second.buffer()).as("budget in use").isInstanceOf(FileSpoolBuffer.class);
      assertThat(second.sha256()).isEqualTo(doc.sha256());
      assertThat(Harness.sha256(second.body())).isEqualTo(doc.sha256());
      try (Stream<Path> files = Files.list(dir)) {
        assertThat(files).hasSize(1);
      }
    }
    assertThat(dir).as("the spool file is deleted").isEmptyDirectory();
    first.close();
    first.close(); // idempotent: the budget is given back once
    try (Spooled third = spool.fetch(cloudinary, doc.key())) {
      assertThat(third.buffer()).isInstanceOf(MemorySpoolBuffer.class);
    }
  }

  @Test
  void aZeroBudgetSpoolsToDisk() throws Exception {
    Spool spool = new Spool(dir, 0, TIMEOUT);

    try (Spooled spooled = spool.fetch(cloudinary, doc.key())) {
      assertThat(spooled.buffer()).isInstanceOf(FileSpoolBuffer.class);
      assertThat(spooled.md5()).isEqualTo(doc.asset().etag());
      assertThat(Harness.sha256(spooled.body())).isEqualTo(doc.sha256());
    }
    assertThat(dir).isEmptyDirectory();
  }

  @Test
  void aBodyLongerThanItsDeclaredLengthFailsTheWrite() throws Exception {
    Semaphore budget = new Semaphore(0);
    MemorySpoolBuffer buffer = new MemorySpoolBuffer(4, budget);
    buffer.write(ByteBuffer.wrap(new byte[3]));

    assertThatThrownBy(() -> buffer.write(ByteBuffer.wrap(new byte[2])))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("Content-Length of 4 bytes");
    buffer.close();
    assertThat(budget.availablePermits()).isEqualTo(4);
  }
}
