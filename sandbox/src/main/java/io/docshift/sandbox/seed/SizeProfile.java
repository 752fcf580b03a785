package io.docshift.sandbox.seed;

import java.util.List;
import java.util.SplittableRandom;

/**
 * How big the documents of a {@link DemoCorpus} are. A profile is a small set of weighted size
 * bands; a document's exact length is drawn uniformly inside one band picked by weight, so every
 * length lies in {@code [minBytes(), maxBytes()]}.
 */
public enum SizeProfile {
  /**
   * A live store in miniature: mostly small scans and PDFs (20–256 KiB), some mid-sized ones, a few
   * large ones up to 8 MiB.
   */
  DEMO(
      List.of(
          new Band(30, 20 * Units.KIB, 64 * Units.KIB),
          new Band(35, 64 * Units.KIB, 256 * Units.KIB),
          new Band(22, 256 * Units.KIB, Units.MIB),
          new Band(9, Units.MIB, 3 * Units.MIB),
          new Band(4, 3 * Units.MIB, 8 * Units.MIB))),

  /** The backfill benchmark mix: 70 % 50–300 KiB, 25 % 1–3 MiB, 5 % 5–10 MiB. */
  BACKFILL_BENCH(
      List.of(
          new Band(70, 50 * Units.KIB, 300 * Units.KIB),
          new Band(25, Units.MIB, 3 * Units.MIB),
          new Band(5, 5 * Units.MIB, 10 * Units.MIB)));

  private final List<Band> bands;
  private final int totalWeight;

  SizeProfile(List<Band> bands) {
    this.bands = bands;
    this.totalWeight = bands.stream().mapToInt(Band::weight).sum();
  }

  /** Smallest length this profile produces, in bytes. */
  public long minBytes() {
    return bands.stream().mapToLong(Band::minBytes).min().orElseThrow();
  }

  /** Largest length this profile produces, in bytes. */
  public long maxBytes() {
    return bands.stream().mapToLong(Band::maxBytes).max().orElseThrow();
  }

  List<Band> bands() {
    return bands;
  }

  int totalWeight() {
    return totalWeight;
  }

  /** Draws one length: a band by weight, then a uniform length in {@code [min, max]}. */
  long sample(SplittableRandom random) {
    int pick = random.nextInt(totalWeight);
    for (Band band : bands) {
      pick -= band.weight();
      if (pick < 0) {
        return random.nextLong(band.minBytes(), band.maxBytes() + 1);
      }
    }
    throw new AssertionError("weights exhausted");
  }

  /** A size band: {@code weight} out of the profile's total, lengths in {@code [min, max]}. */
  record Band(int weight, long minBytes, long maxBytes) {}

  /** Size units, kept out of the enum body because enum constants cannot use their own fields. */
  private static final class Units {
    static final long KIB = 1024;
    static final long MIB = 1024 * KIB;
  }
}
