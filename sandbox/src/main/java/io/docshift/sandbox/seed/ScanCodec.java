package io.docshift.sandbox.seed;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.SplittableRandom;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Renders and encodes the image at the heart of a document (the scan itself, or the page image of a
 * PDF) and decides how many pixels it gets.
 *
 * <p>Sizing: the encoded scan should fill most of the target length, the rest being format-legal
 * padding. Bytes per pixel are nearly constant for this painter at a fixed quality and noise level
 * (measured: 0.5–0.8 for JPEG, 0.75–0.9 for grayscale PNG), so the pixel count follows from the
 * target. The rendered part is capped ({@link #JPEG_CORE_CAP}, {@link #PNG_CORE_CAP}) so a 10 MiB
 * document costs no more to render than a 1 MiB one and the raster stays well under 8 MiB of heap.
 */
final class ScanCodec {
  /** Bytes reserved for the PDF wrapper around its page image (objects, xref, trailer). */
  private static final long PDF_RESERVE = 4096;

  private static final long JPEG_CORE_CAP = 768 * 1024;
  private static final long PNG_CORE_CAP = 384 * 1024;
  private static final double FILL = 0.82;
  private static final float JPEG_QUALITY = 0.92f;
  // ImageIO maps PNG quality q to deflate level (int) (9 * (1 - q)): 0.85 is level 1, fast.
  private static final float PNG_QUALITY = 0.85f;
  private static final int NOISE = 64;

  private ScanCodec() {}

  /** Pixel count that makes the encoded scan land at about {@link #FILL} of its share. */
  static long pixelBudget(Media media, boolean color, Shape shape, long length) {
    long share =
        switch (media) {
          case JPG -> Math.min(length, JPEG_CORE_CAP);
          case PNG -> Math.min(length, PNG_CORE_CAP);
          case PDF -> Math.min(length - PDF_RESERVE, JPEG_CORE_CAP);
        };
    return Math.max(256, Math.round(share * FILL / bytesPerPixel(media, color, shape)));
  }

  /**
   * Upper-end bytes per pixel measured for this painter: cards compress better than pages (the
   * photo box is flat under the noise); small pages run higher (denser lines).
   */
  private static double bytesPerPixel(Media media, boolean color, Shape shape) {
    if (media == Media.PNG) {
      return 0.86;
    }
    double gray = shape == Shape.CARD ? 0.54 : 0.66;
    return color ? gray + 0.05 : gray;
  }

  /**
   * Renders the recipe's scan and encodes it in {@code imageMedia} (JPEG for a PDF's page image) in
   * at most {@code maxBytes}. Should the estimate overshoot, the noise is halved and the same
   * layout re-rendered, keeping the planned dimensions.
   *
   * @throws IllegalStateException if even a noiseless scan does not fit
   */
  static byte[] encodeWithin(Recipe recipe, long maxBytes) throws IOException {
    Media imageMedia = recipe.media() == Media.PNG ? Media.PNG : Media.JPG;
    for (int noise = NOISE; ; noise /= 2) {
      BufferedImage image =
          ScanPainter.paint(
              recipe.width(),
              recipe.height(),
              recipe.kind().shape(),
              recipe.color(),
              noise,
              new SplittableRandom(recipe.contentSeed()));
      byte[] encoded = encode(image, imageMedia);
      if (encoded.length <= maxBytes) {
        return encoded;
      }
      if (noise == 0) {
        throw new IllegalStateException(
            "scan does not fit: " + encoded.length + " bytes (expected: <= " + maxBytes + ")");
      }
    }
  }

  private static byte[] encode(BufferedImage image, Media media) throws IOException {
    String name = media == Media.PNG ? "png" : "jpeg";
    ImageWriter writer = ImageIO.getImageWritersByFormatName(name).next();
    try {
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(media == Media.PNG ? PNG_QUALITY : JPEG_QUALITY);
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * 1024);
      try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
        writer.setOutput(out);
        writer.write(null, new IIOImage(image, null, null), param);
      }
      return bytes.toByteArray();
    } finally {
      writer.dispose();
    }
  }
}
