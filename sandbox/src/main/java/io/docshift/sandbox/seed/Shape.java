package io.docshift.sandbox.seed;

/** Physical shape of the scanned original, as width over height. */
enum Shape {
  /** ID-1 wallet card (driver's license, BLS card): 85.6 × 54 mm. */
  CARD(85.6 / 54.0),
  /** US Letter, portrait. */
  PORTRAIT(8.5 / 11.0),
  /** US Letter, landscape (certificates, diplomas). */
  LANDSCAPE(11.0 / 8.5);

  private final double aspect;

  Shape(double aspect) {
    this.aspect = aspect;
  }

  double aspect() {
    return aspect;
  }
}
