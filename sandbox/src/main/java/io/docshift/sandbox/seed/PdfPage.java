package io.docshift.sandbox.seed;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * What the single page of a demo PDF shows: a title and a few typed lines in Helvetica (one of the
 * standard 14 fonts, so nothing is embedded), above the scanned original drawn as image {@code
 * /Im1}, scaled to fit and keep its aspect ratio.
 */
final class PdfPage {
  private static final int MARGIN = 54;
  private static final int HEADER_HEIGHT = 172;

  private final Recipe recipe;
  private final int pageWidth;
  private final int pageHeight;

  PdfPage(Recipe recipe) {
    this.recipe = recipe;
    boolean landscape = recipe.kind().shape() == Shape.LANDSCAPE;
    this.pageWidth = landscape ? 792 : 612;
    this.pageHeight = landscape ? 612 : 792;
  }

  String mediaBox() {
    return "[0 0 " + pageWidth + " " + pageHeight + "]";
  }

  String title() {
    return recipe.kind().title();
  }

  /** {@code D:} date of the document's year, as a PDF date string. */
  String creationDate() {
    SplittableRandom random = textRandom();
    return String.format(
        Locale.ROOT,
        "D:%d%02d%02d0930Z",
        recipe.year(),
        1 + random.nextInt(12),
        1 + random.nextInt(28));
  }

  /** The page content stream: text block, then the image placement. */
  String contentStream() {
    SplittableRandom random = textRandom();
    StringBuilder text = new StringBuilder();
    int top = pageHeight - MARGIN - 18;
    text.append("BT /F1 18 Tf ").append(MARGIN).append(' ').append(top).append(" Td ");
    text.append(literal(title())).append(" Tj ET\n");
    text.append("BT /F1 10 Tf 14 TL ").append(MARGIN).append(' ').append(top - 26).append(" Td\n");
    String[] lines = {
      "Holder: " + recipe.ownerId(),
      String.format(Locale.ROOT, "Number: %s-%06d", prefix(), random.nextInt(1_000_000)),
      String.format(
          Locale.ROOT,
          "Issued: %d-%02d-%02d",
          recipe.year(),
          1 + random.nextInt(12),
          1 + random.nextInt(28)),
      "Expires: " + (recipe.year() + 2) + "-12-31",
      "Scanned original attached below."
    };
    for (String line : lines) {
      text.append(literal(line)).append(" Tj T*\n");
    }
    return text.append("ET\n").append(imagePlacement()).toString();
  }

  private String imagePlacement() {
    double boxWidth = pageWidth - 2.0 * MARGIN;
    double boxHeight = pageHeight - MARGIN - HEADER_HEIGHT;
    double scale = Math.min(boxWidth / recipe.width(), boxHeight / recipe.height());
    long width = Math.max(1, Math.round(recipe.width() * scale));
    long height = Math.max(1, Math.round(recipe.height() * scale));
    long y = pageHeight - HEADER_HEIGHT - height;
    return "q " + width + " 0 0 " + height + " " + MARGIN + " " + y + " cm /Im1 Do Q\n";
  }

  private String prefix() {
    String[] words = title().toUpperCase(Locale.ROOT).split(" ");
    StringBuilder initials = new StringBuilder();
    for (String word : words) {
      initials.append(word.charAt(0));
    }
    return initials.length() > 3 ? initials.substring(0, 3) : initials.toString();
  }

  private SplittableRandom textRandom() {
    return new SplittableRandom(~recipe.contentSeed());
  }

  /** A PDF literal string; backslash and parentheses are escaped (ISO 32000-1 §7.3.4.2). */
  static String literal(String text) {
    return "(" + text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")";
  }
}
