package io.docshift.stores.cloudinary;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Public ids encoded for delivery URLs as the Java SDK's {@code SmartUrlEncoder} encodes them. */
class DeliveryUrlsTest {
  /** The SDK's rule, spelled out: form-encode, then restore {@code /} and {@code :}. */
  private static String sdk(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8)
        .replace("%2F", "/")
        .replace("%3A", ":")
        .replace("+", "%20");
  }

  @Test
  void plainIdsAreKeptAsTheyAre() {
    for (String id : List.of("a", "folder/sub/file_1.pdf", "x-y.z*", "urn:doc:42", "ABC123")) {
      assertThat(DeliveryUrls.encode(id)).isEqualTo(id).isEqualTo(sdk(id));
    }
  }

  @Test
  void everyOtherCharacterIsEncodedAsTheSdkEncodesIt() {
    List<String> ids =
        List.of(
            "with space.pdf",
            "a+b",
            "percent%41",
            "query?x=1&y=2",
            "hash#frag",
            "tilde~",
            "quote'\"",
            "ümlaut/日本.txt",
            "emoji-😀",
            "",
            "/");
    for (String id : ids) {
      assertThat(DeliveryUrls.encode(id)).as(id).isEqualTo(sdk(id));
    }
  }

  @Test
  void eachSingleCharacterMatchesTheSdk() {
    for (char c = 0; c < 0x250; c++) {
      String id = "a" + c + "b";
      assertThat(DeliveryUrls.encode(id)).as("U+%04X", (int) c).isEqualTo(sdk(id));
    }
  }
}
