package io.docshift.write;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fuzzes the multipart parser over a spooled body (boundary {@code b}): any body either parses to a
 * form or is refused with {@link BadUpload} (a 4xx), never anything else. Without {@code
 * JAZZER_FUZZ} this runs over the committed inputs in {@code MultipartFuzzTestInputs}.
 */
class MultipartFuzzTest {
  @FuzzTest(maxDuration = "1m")
  void parsesOrRefuses(byte[] input) throws IOException {
    Path body = Files.createTempFile("multipart-fuzz", ".body");
    try {
      Files.write(body, input);
      SpooledForm form = MultipartParser.parse(body, "multipart/form-data; boundary=b");
      assertThat(form.params().size()).isLessThanOrEqualTo(MultipartParser.MAX_FIELDS);
    } catch (BadUpload refused) {
      assertThat(refused.status()).isBetween(400, 499);
    } finally {
      Files.deleteIfExists(body);
    }
  }
}
