package io.docshift.sandbox.seed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docshift.sandbox.seed.Padding.Framing;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PaddingTest {
  private static final int FULL_COMMENT = 4 + 65_533;

  @ParameterizedTest
  @ValueSource(
      longs = {
        0,
        4,
        5,
        1000,
        FULL_COMMENT,
        FULL_COMMENT + 1,
        FULL_COMMENT + 3,
        FULL_COMMENT + 4,
        2L * FULL_COMMENT + 2,
        300_000
      })
  void commentPaddingIsExactlyAsLongAsAskedAndWellFramed(long length) throws IOException {
    ByteBuffer bytes = ByteBuffer.wrap(new Padding(Framing.JPEG_COMMENT, length, 1).readAllBytes());
    assertThat(bytes.remaining()).isEqualTo((int) length);
    while (bytes.hasRemaining()) {
      assertThat(bytes.getShort() & 0xffff).isEqualTo(0xFFFE);
      int segmentLength = bytes.getShort() & 0xffff;
      assertThat(segmentLength).isBetween(2, 65_535);
      bytes.position(bytes.position() + segmentLength - 2);
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {0, 12, 13, 65_548, 65_549, 65_560, 65_561, 200_000})
  void pngPaddingIsExactlyAsLongAsAskedWithValidCrcs(long length) throws IOException {
    ByteBuffer bytes = ByteBuffer.wrap(new Padding(Framing.PNG_CHUNK, length, 1).readAllBytes());
    assertThat(bytes.remaining()).isEqualTo((int) length);
    while (bytes.hasRemaining()) {
      int payload = bytes.getInt();
      byte[] typeAndData = new byte[4 + payload];
      bytes.get(typeAndData);
      assertThat(new String(typeAndData, 0, 4, java.nio.charset.StandardCharsets.US_ASCII))
          .isEqualTo("dsPd");
      CRC32 crc = new CRC32();
      crc.update(typeAndData);
      assertThat(bytes.getInt()).isEqualTo((int) crc.getValue());
    }
  }

  @Test
  void lengthsThatCannotBeFramedAreRejected() {
    assertThatThrownBy(() -> new Padding(Framing.JPEG_COMMENT, 3, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected: 0 or >= 4");
    assertThatThrownBy(() -> new Padding(Framing.PNG_CHUNK, 11, 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void lastFullSegmentShrinksSoTheRemainderCanStillBeFramed() {
    assertThat(Padding.nextSegmentSize(FULL_COMMENT + 2, Framing.JPEG_COMMENT))
        .isEqualTo(FULL_COMMENT - 2);
    assertThat(Padding.nextSegmentSize(FULL_COMMENT + 4, Framing.JPEG_COMMENT))
        .isEqualTo(FULL_COMMENT);
    assertThat(Padding.nextSegmentSize(17, Framing.JPEG_COMMENT)).isEqualTo(17);
  }

  @Test
  void sameSeedSameBytes() throws IOException {
    assertThat(new Padding(Framing.JPEG_COMMENT, 100_000, 9).readAllBytes())
        .isEqualTo(new Padding(Framing.JPEG_COMMENT, 100_000, 9).readAllBytes());
  }
}
