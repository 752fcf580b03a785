package io.docshift.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code X-Unique-Upload-Id} with {@code Content-Range}, one row per header pair. */
class ChunkRangeTest {

  @ParameterizedTest(name = "{1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          u1    | bytes 0-9/20          | 0  | 9  | 20 | 10 | false
          u1    | bytes 10-19/20        | 10 | 19 | 20 | 10 | true
          u1    | bytes 0-0/1           | 0  | 0  | 1  | 1  | true
          u-2.x | bytes 0-99/*          | 0  | 99 | -1 | 100 | false
          u_3   | bytes 5-9/-1          | 5  | 9  | -1 | 5  | false
          u4    | '  bytes  0-4/5  '    | 0  | 4  | 5  | 5  | true
          """)
  void aValidPairIsOneChunk(
      String id, String range, long start, long end, long total, long length, boolean last) {
    ChunkRange chunk = ChunkRange.of(id, range);
    assertThat(chunk).isEqualTo(new ChunkRange(id, start, end, total));
    assertThat(chunk.length()).isEqualTo(length);
    assertThat(chunk.isLast()).isEqualTo(last);
  }

  @ParameterizedTest(name = "id {0}, range {1}")
  @CsvSource(
      delimiter = '|',
      nullValues = "null",
      textBlock =
          """
          null      | bytes 0-9/20     | Invalid X-Unique-Upload-Id null
          .hidden   | bytes 0-9/20     | Invalid X-Unique-Upload-Id .hidden
          a/b       | bytes 0-9/20     | Invalid X-Unique-Upload-Id a/b
          u1        | null             | Invalid Content-Range null
          u1        | bytes 9-0/20     | Invalid Content-Range bytes 9-0/20
          u1        | bytes 0-20/20    | Invalid Content-Range bytes 0-20/20
          u1        | bytes=0-9/20     | Invalid Content-Range bytes=0-9/20
          u1        | bytes -1-9/20    | Invalid Content-Range bytes -1-9/20
          u1        | bytes 0-9        | Invalid Content-Range bytes 0-9
          """)
  void aBadPairIsRefusedWith400(String id, String range, String message) {
    assertThatThrownBy(() -> ChunkRange.of(id, range))
        .isInstanceOfSatisfying(BadUpload.class, e -> assertThat(e.status()).isEqualTo(400))
        .hasMessage(message);
  }

  @org.junit.jupiter.api.Test
  void noHeadersIsAPlainUpload() {
    assertThat(ChunkRange.of(null, null)).isNull();
  }

  @org.junit.jupiter.api.Test
  void anOverlongUploadIdIsRefused() {
    String id = "u".repeat(129);
    assertThatThrownBy(() -> ChunkRange.of(id, "bytes 0-1/2")).isInstanceOf(BadUpload.class);
    assertThat(ChunkRange.of("u".repeat(128), "bytes 0-1/2")).isNotNull();
  }
}
