package io.docshift.sandbox.seed;

import java.util.SplittableRandom;

/** How a kind of document tends to arrive: percentages of JPEG scans, PNG scans and PDFs. */
enum MediaMix {
  /** Generated reports and policies. */
  PDF_ONLY(0, 0, 100),
  /** Issued documents, mostly downloaded PDFs, sometimes a phone photo. */
  MOSTLY_PDF(15, 5, 80),
  /** Certificates that are framed on a wall, often photographed. */
  CERTIFICATE(35, 10, 55),
  /** Wallet cards: e-cards (PDF) or photos and scans of the physical card. */
  CARD(45, 20, 35),
  /** Paper forms: scanned, photographed or exported. */
  FORM(40, 30, 30),
  /** Identity documents: always a photo or a scan. */
  ID_SCAN(70, 30, 0);

  private final int jpgPercent;
  private final int pngPercent;

  MediaMix(int jpgPercent, int pngPercent, int pdfPercent) {
    if (jpgPercent + pngPercent + pdfPercent != 100) {
      throw new AssertionError(name() + " does not add up to 100 %");
    }
    this.jpgPercent = jpgPercent;
    this.pngPercent = pngPercent;
  }

  Media pick(SplittableRandom random) {
    int pick = random.nextInt(100);
    if (pick < jpgPercent) {
      return Media.JPG;
    }
    return pick < jpgPercent + pngPercent ? Media.PNG : Media.PDF;
  }
}
