package io.docshift.sandbox.seed;

/**
 * Everything needed to regenerate one document's bytes: decided once by the planner, so the bytes
 * can be rendered again on every {@link SeedDocument#open()} without keeping them in heap.
 *
 * @param width pixel width of the scan (for a PDF, of the page image it embeds)
 * @param height pixel height of the scan
 * @param length exact file length in bytes
 * @param contentSeed seed of the document's own random stream (layout, noise, padding)
 */
record Recipe(
    DocumentKind kind,
    String ownerId,
    int year,
    Media media,
    boolean color,
    int width,
    int height,
    long length,
    long contentSeed) {

  /** Plans a document, sizing its scan so the encoded image lands just under {@code length}. */
  static Recipe plan(
      DocumentKind kind,
      String ownerId,
      int year,
      Media media,
      boolean color,
      long length,
      long contentSeed) {
    long pixels = ScanCodec.pixelBudget(media, color, kind.shape(), length);
    double aspect = kind.shape().aspect();
    int width = (int) Math.max(16, Math.round(Math.sqrt(pixels * aspect)));
    int height = (int) Math.max(16, Math.round(pixels / (double) width));
    return new Recipe(kind, ownerId, year, media, color, width, height, length, contentSeed);
  }
}
