package io.docshift.write;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.docshift.core.digest.Digester;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Fuzzes the multipart parser over a spooled body (boundary {@code b}): any body either parses to a
 * form or is refused with {@link BadUpload} (a 4xx), never anything else; and a binary file part it
 * finds is the one {@link FilePartDigester} digested while the body arrived, with the same digests.
 * Without {@code JAZZER_FUZZ} this runs over the committed inputs in {@code
 * MultipartFuzzTestInputs}.
 */
class MultipartFuzzTest {
  @FuzzTest(maxDuration = "1m")
  void parsesOrRefuses(byte[] input) throws IOException {
    Path body = Files.createTempFile("multipart-fuzz", ".body");
    try {
      Files.write(body, input);
      SpooledForm form = MultipartParser.parse(body, "multipart/form-data; boundary=b");
      assertThat(form.params().size()).isLessThanOrEqualTo(MultipartParser.MAX_FIELDS);
      Optional<SpooledForm.FilePart> binary = form.file().filter(p -> !p.isText());
      if (binary.isPresent()) {
        SpooledForm.FilePart part = binary.get();
        FilePartDigester.Hashed hashed = digestedAsSpooled(input).orElseThrow();
        assertThat(hashed.covers(part.offset(), part.length())).isTrue();
        assertThat(hashed.digests()).isEqualTo(Digester.ofFile(body, part.offset(), part.length()));
      }
    } catch (BadUpload refused) {
      assertThat(refused.status()).isBetween(400, 499);
    } finally {
      Files.deleteIfExists(body);
    }
  }

  /** The body fed as the spool sees it, in short buffers so delimiters straddle them. */
  private static Optional<FilePartDigester.Hashed> digestedAsSpooled(byte[] input) {
    FilePartDigester digester = FilePartDigester.of("multipart/form-data; boundary=b");
    for (int at = 0; at < input.length; at += 3) {
      digester.update(ByteBuffer.wrap(input, at, Math.min(3, input.length - at)));
    }
    return digester.finish();
  }
}
