package io.docshift.core.key;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Published MurmurHash3 x86_32 vectors (SMHasher / Wikipedia), covering every tail length. */
class Murmur3Test {
  @ParameterizedTest
  @CsvSource({
    "'', 0, 00000000",
    "'', 1, 514e28b7",
    "'', ffffffff, 81f16f39",
    "21, 0, 72661cf4",
    "2143, 0, a0f7b07a",
    "214365, 0, 7e4a8634",
    "21436587, 0, f55b516b",
    "21436587, 5082edee, 2362f9de",
    "ffffffff, 0, 76293b50",
    "00000000, 0, 2362f9de",
  })
  void matchesReferenceVectorsForBytes(String hexInput, String hexSeed, String expected) {
    byte[] input = java.util.HexFormat.of().parseHex(hexInput);
    int seed = Integer.parseUnsignedInt(hexSeed, 16);

    assertThat(Murmur3.hash32(input, seed)).isEqualTo(Integer.parseUnsignedInt(expected, 16));
  }

  @ParameterizedTest
  @CsvSource({
    "aaaa, 9747b28c, 5a97808a",
    "abc, 0, b3dd93fa",
    "hello, 0, 248bfa47",
    "'The quick brown fox jumps over the lazy dog', 0, 2e4ff723",
    "'The quick brown fox jumps over the lazy dog', 9747b28c, 2fa826cd",
    "'Hello, world!', 9747b28c, 24884cba",
  })
  void matchesReferenceVectorsForText(String text, String hexSeed, String expected) {
    int seed = Integer.parseUnsignedInt(hexSeed, 16);

    assertThat(Murmur3.hash32(text.getBytes(StandardCharsets.UTF_8), seed))
        .isEqualTo(Integer.parseUnsignedInt(expected, 16));
  }
}
