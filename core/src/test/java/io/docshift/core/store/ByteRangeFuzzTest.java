package io.docshift.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Fuzzes the {@code Range} header parser: any value is either one well-formed range (a closed range
 * with {@code first <= last}, an open one, or a positive suffix) or empty, never an exception.
 * Without {@code JAZZER_FUZZ} this runs over the committed inputs in {@code
 * ByteRangeFuzzTestInputs}.
 */
class ByteRangeFuzzTest {
  @FuzzTest(maxDuration = "1m")
  void parsesOrIgnores(byte[] input) {
    Optional<ByteRange> parsed = ByteRange.parse(new String(input, StandardCharsets.ISO_8859_1));
    parsed.ifPresent(
        range -> {
          if (range.suffixLength().isPresent()) {
            assertThat(range.suffixLength().getAsLong()).isPositive();
            assertThat(range.first()).isEmpty();
          } else {
            assertThat(range.first().getAsLong()).isNotNegative();
            range
                .last()
                .ifPresent(
                    last -> assertThat(last).isGreaterThanOrEqualTo(range.first().getAsLong()));
          }
        });
  }
}
