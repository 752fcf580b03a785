package io.docshift.core.key;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes the delivery path parser: any path either parses to a request naming a document or is
 * refused with {@link InvalidDocumentKeyException}, never anything else. Without {@code
 * JAZZER_FUZZ} this runs over the committed inputs in {@code DeliveryPathFuzzTestInputs}.
 */
class DeliveryPathFuzzTest {
  @FuzzTest(maxDuration = "1m")
  void parsesOrRefuses(byte[] input) {
    String path = new String(input, StandardCharsets.ISO_8859_1);
    try {
      DeliveryRequest request = DeliveryRequest.parse(path, "demo");
      assertThat(request.key()).isNotNull();
      assertThat(path.length()).isLessThanOrEqualTo(2048);
    } catch (InvalidDocumentKeyException refused) {
      assertThat(refused.getMessage()).isNotNull();
    }
  }
}
