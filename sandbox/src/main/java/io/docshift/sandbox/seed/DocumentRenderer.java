package io.docshift.sandbox.seed;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/** Turns a {@link Recipe} into the parts of its file, exactly {@link Recipe#length()} long. */
final class DocumentRenderer {
  private static final int JFIF_APP0 = 0xE0;
  private static final int PNG_IEND_CHUNK = 12;

  private DocumentRenderer() {}

  static Assembly render(Recipe recipe) throws IOException {
    long paddingSeed = new SplittableRandom(recipe.contentSeed()).split().nextLong();
    Assembly assembly =
        switch (recipe.media()) {
          case JPG -> jpeg(recipe, paddingSeed);
          case PNG -> png(recipe, paddingSeed);
          case PDF -> pdf(recipe, paddingSeed);
        };
    if (assembly.length() != recipe.length()) {
      throw new IllegalStateException(
          "assembled " + assembly.length() + " bytes (expected: " + recipe.length() + ")");
    }
    return assembly;
  }

  private static Assembly jpeg(Recipe recipe, long paddingSeed) throws IOException {
    Padding.Framing framing = Padding.Framing.JPEG_COMMENT;
    byte[] core = ScanCodec.encodeWithin(recipe, recipe.length() - framing.overhead());
    return Assembly.image(core, jpegSplit(core), framing, recipe.length(), paddingSeed);
  }

  private static Assembly png(Recipe recipe, long paddingSeed) throws IOException {
    Padding.Framing framing = Padding.Framing.PNG_CHUNK;
    byte[] core = ScanCodec.encodeWithin(recipe, recipe.length() - framing.overhead());
    // Padding chunks go after the last IDAT, right before IEND (always the final 12 bytes).
    String last = new String(core, core.length - 8, 4, StandardCharsets.US_ASCII);
    if (!last.equals("IEND")) {
      throw new IllegalStateException("PNG does not end with IEND: " + last);
    }
    return Assembly.image(
        core, core.length - PNG_IEND_CHUNK, framing, recipe.length(), paddingSeed);
  }

  private static Assembly pdf(Recipe recipe, long paddingSeed) throws IOException {
    PdfLayout layout = PdfLayout.of(recipe);
    long imageLength = layout.imageLength();
    byte[] core =
        ScanCodec.encodeWithin(recipe, imageLength - Padding.Framing.JPEG_COMMENT.overhead());
    return Assembly.wrapped(
        layout.head(), core, jpegSplit(core), imageLength, paddingSeed, layout.tail());
  }

  /**
   * Where comment segments may go in a JPEG from ImageIO: after the JFIF APP0 segment, which must
   * directly follow SOI, or right after SOI when there is none.
   */
  static int jpegSplit(byte[] jpeg) {
    if ((jpeg[2] & 0xff) == 0xFF && (jpeg[3] & 0xff) == JFIF_APP0) {
      int segmentLength = ((jpeg[4] & 0xff) << 8) | (jpeg[5] & 0xff);
      return 4 + segmentLength;
    }
    return 2;
  }
}
