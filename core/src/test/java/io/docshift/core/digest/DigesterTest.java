package io.docshift.core.digest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docshift.core.digest.Digester.Algorithm;
import io.docshift.testkit.TempDirs;
import io.docshift.testkit.TestBodies;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The one hasher: known vectors, buffers left untouched, files by region, and the subscriber. */
class DigesterTest {
  private static final byte[] ABC = "abc".getBytes(StandardCharsets.US_ASCII);

  @Test
  void computesTheKnownVectorsOfAbcInOnePass() {
    Digester digester = Digester.of(Algorithm.CRC32C, Algorithm.MD5, Algorithm.SHA256);
    ByteBuffer buffer = ByteBuffer.wrap(ABC);

    digester.update(buffer);
    Digests digests = digester.finish();

    assertThat(buffer.remaining()).as("the caller's buffer is not consumed").isEqualTo(3);
    assertThat(digests.length()).isEqualTo(3);
    assertThat(digests.crc32c()).isEqualTo("364b3fb7");
    assertThat(digests.md5()).isEqualTo("900150983cd24fb0d6963f7d28e17f72");
    assertThat(digests.sha256())
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  @Test
  void leavesOutWhatWasNotAsked() {
    Digester crcOnly = Digester.of(Algorithm.CRC32C);
    crcOnly.update(ByteBuffer.wrap(ABC));

    Digests digests = crcOnly.finish();

    assertThat(digests.crc32c()).isEqualTo("364b3fb7");
    assertThat(digests.md5()).isNull();
    assertThat(digests.sha256()).isNull();
  }

  @Test
  void hashesARegionOfAFileAsIfItWereAlone() throws IOException {
    byte[] data = TestBodies.random(200_000, 7);
    Path dir = TempDirs.create("digester-");
    try {
      Path file = Files.write(dir.resolve("f"), data);
      byte[] region = Arrays.copyOfRange(data, 1_000, 151_000);

      Digests digests = Digester.ofFile(file, 1_000, 150_000);

      assertThat(digests.length()).isEqualTo(150_000);
      assertThat(digests.md5()).isEqualTo(TestBodies.md5Hex(region));
      assertThat(digests.sha256()).isEqualTo(TestBodies.sha256Hex(region));
      assertThatThrownBy(() -> Digester.ofFile(file, 100_000, 150_000))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("ended at 200000");
    } finally {
      TempDirs.delete(dir);
    }
  }

  @Test
  void bodyHasherSpoolsEveryByteAndHashesWhatItSpooled() throws Exception {
    byte[] data = TestBodies.random(300_000, 11);
    ByteArrayOutputStream spooled = new ByteArrayOutputStream();
    BodyHasher hasher =
        BodyHasher.spooling(
            buffer -> {
              byte[] bytes = new byte[buffer.remaining()];
              buffer.get(bytes);
              spooled.write(bytes);
            });

    TestBodies.chunked(data, 8_192).subscribe(hasher);
    Digests digests = hasher.done().get(5, TimeUnit.SECONDS);

    assertThat(spooled.toByteArray()).isEqualTo(data);
    assertThat(digests.length()).isEqualTo(data.length);
    assertThat(digests.md5()).isEqualTo(TestBodies.md5Hex(data));
    assertThat(digests.sha256()).isEqualTo(TestBodies.sha256Hex(data));
  }

  @Test
  void aFailingSinkFailsTheBodyAndStopsReading() {
    IOException full = new IOException("disk full");
    BodyHasher hasher =
        BodyHasher.spooling(
            buffer -> {
              throw full;
            });

    TestBodies.chunked(TestBodies.random(100_000, 3), 1_000).subscribe(hasher);

    assertThat(hasher.done()).isCompletedExceptionally();
    assertThatThrownBy(() -> hasher.done().get())
        .isInstanceOf(ExecutionException.class)
        .hasCause(full);
  }

  @Test
  void aCancelBeforeTheBodyArrivesRefusesItsSubscription() {
    BodyHasher hasher = BodyHasher.checksum();
    IllegalStateException why = new IllegalStateException("shutdown");

    hasher.cancel(why);
    byte[] data = TestBodies.random(10, 1);
    TestBodies.chunked(data, 5).subscribe(hasher);

    assertThatThrownBy(() -> hasher.done().get()).hasCause(why);
  }

  @Test
  void withMd5AddsTheEvidenceDigestToTheChecksum() throws Exception {
    BodyHasher hasher = BodyHasher.withMd5();

    TestBodies.chunked(ABC, 1).subscribe(hasher);
    Digests digests = hasher.done().get(5, TimeUnit.SECONDS);

    assertThat(digests.crc32c()).isEqualTo("364b3fb7");
    assertThat(digests.md5()).isEqualTo("900150983cd24fb0d6963f7d28e17f72");
    assertThat(digests.sha256()).isNull();
  }
}
