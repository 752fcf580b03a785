package io.docshift.sandbox.seed;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;

/** Structural checks of the generated files, independent of the code that wrote them. */
final class FileChecks {
  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  private static final Pattern XREF_ENTRY = Pattern.compile("(\\d{10}) (\\d{5}) ([nf]) \\n");
  private static final Pattern IMAGE_LENGTH =
      Pattern.compile("7 0 obj\n<< /Type /XObject .*? /Length (\\d+) >>\nstream\n");

  private FileChecks() {}

  /** Walks every marker segment up to SOS, then decodes the image. */
  static void checkJpeg(byte[] jpeg, int width, int height) throws IOException {
    ByteBuffer bytes = ByteBuffer.wrap(jpeg);
    assertThat(bytes.getShort() & 0xffff).as("SOI").isEqualTo(0xFFD8);
    int marker;
    do {
      marker = bytes.getShort() & 0xffff;
      assertThat(marker >>> 8).as("marker prefix").isEqualTo(0xFF);
      int length = bytes.getShort() & 0xffff;
      assertThat(length).isGreaterThanOrEqualTo(2);
      bytes.position(bytes.position() + length - 2);
    } while (marker != 0xFFDA);
    assertThat(Arrays.copyOfRange(jpeg, jpeg.length - 2, jpeg.length))
        .as("EOI")
        .containsExactly(0xFF, 0xD9);
    checkDecodes(jpeg, width, height);
  }

  /** Verifies the signature, every chunk's CRC, IHDR first and IEND last, then decodes. */
  static void checkPng(byte[] png, int width, int height) throws IOException {
    assertThat(Arrays.copyOf(png, 8)).isEqualTo(PNG_SIGNATURE);
    ByteBuffer bytes = ByteBuffer.wrap(png, 8, png.length - 8);
    String type = null;
    boolean first = true;
    while (bytes.hasRemaining()) {
      int length = bytes.getInt();
      byte[] typeAndData = new byte[4 + length];
      bytes.get(typeAndData);
      type = new String(typeAndData, 0, 4, StandardCharsets.US_ASCII);
      assertThat(!first || type.equals("IHDR")).as("IHDR first").isTrue();
      CRC32 crc = new CRC32();
      crc.update(typeAndData);
      assertThat(bytes.getInt()).as("CRC of " + type).isEqualTo((int) crc.getValue());
      first = false;
    }
    assertThat(type).isEqualTo("IEND");
    checkDecodes(png, width, height);
  }

  /**
   * Checks the PDF envelope ({@code %PDF-} … {@code %%EOF}), that {@code startxref} points at the
   * xref table and every in-use xref offset at {@code N 0 obj}, and that the page image (object 7)
   * is exactly its {@code /Length} and decodes to {@code width × height}.
   */
  static void checkPdf(byte[] pdf, int width, int height) throws IOException {
    String text = new String(pdf, StandardCharsets.ISO_8859_1);
    assertThat(text).startsWith("%PDF-1.4\n");
    assertThat(text.stripTrailing()).endsWith("%%EOF");
    Matcher startxref = Pattern.compile("startxref\n(\\d+)\n%%EOF\\s*$").matcher(text);
    assertThat(startxref.find()).as("startxref").isTrue();
    int xref = Integer.parseInt(startxref.group(1));
    assertThat(text.substring(xref)).startsWith("xref\n0 8\n");
    Matcher entry = XREF_ENTRY.matcher(text.substring(xref + "xref\n0 8\n".length()));
    for (int object = 0; object < 8; object++) {
      assertThat(entry.lookingAt() || entry.find()).isTrue();
      if (entry.group(3).equals("n")) {
        int offset = Integer.parseInt(entry.group(1));
        assertThat(text.substring(offset)).startsWith(object + " 0 obj\n");
      }
      entry.region(entry.end(), entry.regionEnd());
    }
    assertThat(text).contains("trailer\n<< /Size 8 /Root 1 0 R");
    Matcher image = IMAGE_LENGTH.matcher(text);
    assertThat(image.find()).as("image object").isTrue();
    int length = Integer.parseInt(image.group(1));
    assertThat(text.substring(image.end() + length)).startsWith("\nendstream\nendobj\n");
    byte[] jpeg = Arrays.copyOfRange(pdf, image.end(), image.end() + length);
    checkJpeg(jpeg, width, height);
  }

  private static void checkDecodes(byte[] file, int width, int height) throws IOException {
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(file));
    assertThat(image).as("ImageIO decodes it").isNotNull();
    assertThat(image.getWidth()).isEqualTo(width);
    assertThat(image.getHeight()).isEqualTo(height);
  }
}
