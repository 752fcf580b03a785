package io.docshift.write;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.core.digest.Digester;
import io.docshift.core.digest.Digests;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An upload whose file part was digested while it was spooled is ready for S3's put without a read
 * of the spool: the test rewrites the spooled bytes after the spool pass, so digests read from the
 * spool would differ from the ones the pass saw.
 */
class SpooledDigestsTest {
  private static final String TYPE = "multipart/form-data; boundary=bb";

  @TempDir Path dir;

  private Path body;
  private SpooledForm form;
  private FilePartDigester.Hashed spooled;
  private Digests asSpooled;

  @BeforeEach
  void spool() throws IOException {
    byte[] content = new byte[200_000];
    new Random(5).nextBytes(content);
    String head =
        "--bb\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f.bin\"\r\n\r\n";
    byte[] bytes = new byte[head.length() + content.length + 8];
    ByteBuffer.wrap(bytes)
        .put(head.getBytes(StandardCharsets.ISO_8859_1))
        .put(content)
        .put("\r\n--bb--".getBytes(StandardCharsets.ISO_8859_1));
    body = Files.write(dir.resolve("body"), bytes);
    FilePartDigester digester = FilePartDigester.of(TYPE);
    for (int at = 0; at < bytes.length; at += 8192) {
      digester.update(ByteBuffer.wrap(bytes, at, Math.min(8192, bytes.length - at)));
    }
    spooled = digester.finish().orElseThrow();
    form = MultipartParser.parse(body, TYPE);
    SpooledForm.FilePart part = form.file().orElseThrow();
    asSpooled = Digester.ofFile(body, part.offset(), part.length());
    // Change the file part's last byte: only a read of the spool now gives other digests.
    try (FileChannel channel = FileChannel.open(body, StandardOpenOption.WRITE)) {
      long last = part.offset() + part.length() - 1;
      channel.write(ByteBuffer.wrap(new byte[] {(byte) ~bytes[(int) last]}), last);
    }
  }

  @Test
  void theDigestsTakenAsTheBodyArrivedAreUsedWithoutReadingTheSpool() {
    Prepared p = Prepared.unhashed(null, call(spooled), form, null);

    assertThat(p.digests()).isEqualTo(asSpooled);
    assertThat(p.hashed("id")).isSameAs(p);
  }

  @Test
  void withoutThemTheSpoolIsReadOnceTheCallerAsks() {
    Prepared p = Prepared.unhashed(null, call(null), form, null);

    assertThat(p.digests()).isNull();
    assertThat(p.hashed("id").digests()).isNotNull().isNotEqualTo(asSpooled);
  }

  @Test
  void digestsOfAnotherRegionAreNotTaken() {
    FilePartDigester.Hashed shifted =
        new FilePartDigester.Hashed(spooled.offset() + 1, spooled.digests());

    assertThat(Prepared.unhashed(null, call(shifted), form, null).digests()).isNull();
  }

  private UploadCall call(FilePartDigester.Hashed hashed) {
    return new UploadCall(
        "raw", "/v1_1/demo/raw/upload", body, Map.of("Content-Type", TYPE), "localhost", hashed);
  }
}
