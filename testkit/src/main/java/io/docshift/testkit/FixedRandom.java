package io.docshift.testkit;

import java.util.random.RandomGenerator;

/** A random source whose next double is whatever the test set. */
public final class FixedRandom implements RandomGenerator {
  private final double value;

  public FixedRandom(double value) {
    this.value = value;
  }

  @Override
  public double nextDouble() {
    return value;
  }

  @Override
  public long nextLong() {
    return 0;
  }
}
