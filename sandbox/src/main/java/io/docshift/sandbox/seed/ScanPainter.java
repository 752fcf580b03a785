package io.docshift.sandbox.seed;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Paints a synthetic document scan straight into a raster: paper tone, a title bar, paragraphs of
 * word-shaped ink blocks, rules, a photo box on cards, then per-pixel sensor noise so the encoded
 * file does not compress to nothing. No fonts or AWT toolkit are involved, so it runs headless and
 * is byte-for-byte repeatable for a given random stream.
 */
final class ScanPainter {
  private final int width;
  private final int height;
  private final byte[] luma;
  private final SplittableRandom random;
  private final int paper;
  private final int ink;
  private final int margin;

  private ScanPainter(int width, int height, SplittableRandom random) {
    this.width = width;
    this.height = height;
    this.luma = new byte[width * height];
    this.random = random;
    this.paper = 226 + random.nextInt(24);
    this.ink = 16 + random.nextInt(60);
    this.margin = Math.max(2, width / 14);
  }

  /**
   * Renders a {@code width × height} scan. {@code noise} is the peak-to-peak amplitude of the
   * sensor noise (0 for none); {@code color} gives a tinted RGB scan instead of grayscale.
   */
  static BufferedImage paint(
      int width, int height, Shape shape, boolean color, int noise, SplittableRandom random) {
    ScanPainter painter = new ScanPainter(width, height, random);
    painter.layout(shape);
    return color ? painter.toRgb(noise) : painter.toGray(noise);
  }

  private void layout(Shape shape) {
    Arrays.fill(luma, (byte) paper);
    int lineHeight = Math.max(4, height / (shape == Shape.CARD ? 12 : 46));
    int left = margin;
    if (shape == Shape.CARD) {
      int photoRight = margin + width * 3 / 10;
      fill(margin, height / 4, photoRight, height - margin, 90 + random.nextInt(70));
      left = photoRight + margin / 2;
    }
    int y = margin;
    fill(
        left,
        y,
        left + (width - margin - left) * (5 + random.nextInt(4)) / 10,
        y + lineHeight,
        ink);
    y += lineHeight * 2;
    while (y + lineHeight < height - margin) {
      y = paragraph(left, width - margin, y, lineHeight);
    }
  }

  /** Paints one paragraph of text lines and a gap; returns the next free row. */
  private int paragraph(int left, int right, int top, int lineHeight) {
    int lines = 2 + random.nextInt(7);
    int y = top;
    for (int i = 0; i < lines && y + lineHeight < height - margin; i++) {
      boolean last = i == lines - 1;
      int end = last ? left + (right - left) * (2 + random.nextInt(7)) / 10 : right;
      words(left, end, y, Math.max(2, lineHeight * 11 / 20));
      y += lineHeight;
    }
    if (random.nextInt(5) == 0) {
      fill(left, y + lineHeight / 3, right, y + lineHeight / 3 + Math.max(1, lineHeight / 10), ink);
    }
    return y + lineHeight;
  }

  private void words(int left, int right, int top, int wordHeight) {
    int charWidth = Math.max(1, wordHeight / 2);
    int x = left;
    while (x < right) {
      int end = Math.min(right, x + charWidth * (2 + random.nextInt(9)));
      fill(x, top, end, top + wordHeight, ink + random.nextInt(30));
      x = end + charWidth + random.nextInt(charWidth + 1);
    }
  }

  private void fill(int x0, int y0, int x1, int y1, int tone) {
    int right = Math.min(x1, width);
    for (int y = Math.max(0, y0); y < Math.min(y1, height); y++) {
      Arrays.fill(luma, y * width + Math.max(0, x0), y * width + Math.max(x0, right), (byte) tone);
    }
  }

  private BufferedImage toGray(int noise) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
    byte[] out = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
    Noise source = new Noise(random.nextLong(), noise);
    for (int i = 0; i < luma.length; i++) {
      out[i] = source.apply(luma[i] & 0xff);
    }
    return image;
  }

  private BufferedImage toRgb(int noise) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    byte[] out = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
    // Security-paper tint: each channel scaled a little differently (pale blue, green or pink).
    int[] tint = {200 + random.nextInt(56), 200 + random.nextInt(56), 200 + random.nextInt(56)};
    Noise source = new Noise(random.nextLong(), noise);
    for (int i = 0, o = 0; i < luma.length; i++) {
      int value = luma[i] & 0xff;
      for (int channel = 0; channel < 3; channel++) {
        out[o++] = source.apply(value * tint[channel] >> 8);
      }
    }
    return image;
  }

  /** Cheap uniform noise: one 64-bit xorshift step feeds eight pixels. */
  private static final class Noise {
    private final int amplitude;
    private long state;
    private long bits;
    private int left;

    Noise(long seed, int amplitude) {
      this.state = seed | 1;
      this.amplitude = amplitude;
    }

    byte apply(int value) {
      if (left == 0) {
        state ^= state << 13;
        state ^= state >>> 7;
        state ^= state << 17;
        bits = state;
        left = 8;
      }
      int sample = (int) (bits & 0xff);
      bits >>>= 8;
      left--;
      int noisy = value + ((sample * amplitude) >> 8) - (amplitude >> 1);
      return (byte) Math.max(0, Math.min(255, noisy));
    }
  }
}
