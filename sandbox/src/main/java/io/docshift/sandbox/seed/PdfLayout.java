package io.docshift.sandbox.seed;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A hand-written one-page PDF 1.4 around a JPEG page image, laid out so the whole file is exactly
 * the recipe's length.
 *
 * <p>Objects, in file order: 1 catalog, 2 page tree, 3 page, 4 font, 5 content stream, 6 info, 7
 * the image ({@code /DCTDecode}). The image comes last, so every offset in the xref table is known
 * before its length is; only the digits of the image {@code /Length} and of {@code startxref}
 * depend on it. {@link #of} solves for the image length, absorbing a digit-boundary remainder with
 * blank lines before {@code xref} (whitespace is legal between objects).
 */
final class PdfLayout {
  private static final String HEADER = "%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n";
  private static final String STREAM = " >>\nstream\n";
  private static final String END_IMAGE = "\nendstream\nendobj\n";
  private static final String STARTXREF = "startxref\n";
  private static final String EOF = "\n%%EOF\n";
  private static final int OBJECTS = 7;
  private static final int MAX_SOLVE_STEPS = 16;

  private final String body;
  private final String imageDictionary;
  private final String xrefAndTrailer;
  private long imageLength;
  private int slack;

  private PdfLayout(String body, String imageDictionary, List<Integer> offsets) {
    this.body = body;
    this.imageDictionary = imageDictionary;
    this.xrefAndTrailer = xrefAndTrailer(offsets);
  }

  /** Lays out the recipe's PDF and solves for the length of its page image. */
  static PdfLayout of(Recipe recipe) {
    List<String> objects = objects(new PdfPage(recipe));
    StringBuilder body = new StringBuilder(HEADER);
    List<Integer> offsets = new ArrayList<>();
    for (int i = 0; i < objects.size(); i++) {
      offsets.add(body.length());
      body.append(i + 1).append(" 0 obj\n").append(objects.get(i)).append("\nendobj\n");
    }
    offsets.add(body.length());
    String image =
        String.format(
            Locale.ROOT,
            "%d 0 obj\n<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace %s"
                + " /BitsPerComponent 8 /Filter /DCTDecode /Length ",
            OBJECTS,
            recipe.width(),
            recipe.height(),
            recipe.color() ? "/DeviceRGB" : "/DeviceGray");
    PdfLayout layout = new PdfLayout(body.toString(), image, offsets);
    layout.solve(recipe.length());
    return layout;
  }

  /** Bodies of objects 1–6; the page's resources name the font (4) and the image (7). */
  private static List<String> objects(PdfPage page) {
    String content = page.contentStream();
    return List.of(
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox "
            + page.mediaBox()
            + " /Resources << /Font << /F1 4 0 R >> /XObject << /Im1 7 0 R >> >>"
            + " /Contents 5 0 R >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        "<< /Length " + content.length() + " >>\nstream\n" + content + "\nendstream",
        "<< /Title "
            + PdfPage.literal(page.title())
            + " /Producer (DocShift demo corpus) /CreationDate ("
            + page.creationDate()
            + ") >>");
  }

  long imageLength() {
    return imageLength;
  }

  /** Everything before the image bytes: header, objects 1–6, the image dictionary. */
  byte[] head() {
    return latin1(headText(imageLength));
  }

  /** Everything after the image bytes: end of object 7, xref table, trailer, {@code %%EOF}. */
  byte[] tail() {
    return latin1(tailText(imageLength, slack));
  }

  /**
   * Finds the image length and blank-line count that make the file exactly {@code total} bytes.
   * Starting from an image length computed with the widest possible numbers, the file is at most a
   * few bytes short; blank lines make up the difference unless that pushes {@code startxref} over a
   * digit boundary, in which case the image gives up a byte.
   */
  private void solve(long total) {
    long image = total - headLength(total) - tailLength(total, 0);
    int blank = 0;
    for (int step = 0; step < MAX_SOLVE_STEPS; step++) {
      long diff = total - (headLength(image) + image + tailLength(image, blank));
      if (diff == 0) {
        imageLength = image;
        slack = blank;
        return;
      }
      if (blank + diff >= 0) {
        blank += (int) diff;
      } else {
        image += blank + diff;
        blank = 0;
      }
    }
    throw new IllegalStateException("no PDF layout of exactly " + total + " bytes");
  }

  private long headLength(long image) {
    return body.length() + imageDictionary.length() + digits(image) + STREAM.length();
  }

  private long tailLength(long image, int blank) {
    long xref = xrefOffset(image, blank);
    return END_IMAGE.length()
        + blank
        + xrefAndTrailer.length()
        + STARTXREF.length()
        + digits(xref)
        + EOF.length();
  }

  private long xrefOffset(long image, int blank) {
    return headLength(image) + image + END_IMAGE.length() + blank;
  }

  private String headText(long image) {
    return body + imageDictionary + image + STREAM;
  }

  private String tailText(long image, int blank) {
    return END_IMAGE
        + "\n".repeat(blank)
        + xrefAndTrailer
        + STARTXREF
        + xrefOffset(image, blank)
        + EOF;
  }

  private static String xrefAndTrailer(List<Integer> offsets) {
    StringBuilder xref = new StringBuilder("xref\n0 ").append(OBJECTS + 1).append('\n');
    // Each entry is exactly 20 bytes: 10-digit offset, 5-digit generation, type, 2-byte EOL.
    xref.append("0000000000 65535 f \n");
    for (int offset : offsets) {
      xref.append(String.format(Locale.ROOT, "%010d 00000 n \n", offset));
    }
    xref.append("trailer\n<< /Size ").append(OBJECTS + 1).append(" /Root 1 0 R /Info 6 0 R >>\n");
    return xref.toString();
  }

  private static int digits(long value) {
    return Long.toString(value).length();
  }

  private static byte[] latin1(String text) {
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }
}
