package io.docshift.sandbox.seed;

/**
 * Maps owner numbers 0, 1, 2, … to distinct, random-looking six-digit ids ({@code 004211}), so
 * owners are unique without remembering the ids already handed out.
 *
 * <p>A four-round Feistel network over the two three-digit halves of a number is a permutation of
 * 0..999,999 whatever the round function, so distinct numbers always get distinct ids; the key
 * (from the corpus seed) changes which permutation.
 */
final class OwnerIds {
  /** How many distinct ids there are. */
  static final int SPACE = 1_000_000;

  private static final int HALF = 1_000;
  private static final int ROUNDS = 4;

  private final long key;

  OwnerIds(long key) {
    this.key = key;
  }

  /** The id of owner {@code number}, in {@code [0, SPACE)}. */
  int id(int number) {
    if (number < 0 || number >= SPACE) {
      throw new IllegalArgumentException("owner number: " + number + " (expected: 0..999999)");
    }
    int left = number / HALF;
    int right = number % HALF;
    for (int round = 0; round < ROUNDS; round++) {
      int next = (left + mix(right, round)) % HALF;
      left = right;
      right = next;
    }
    return left * HALF + right;
  }

  /** Round function: any deterministic value works; a SplitMix64 finalizer spreads it well. */
  private int mix(int half, int round) {
    long z = key + half * 0x9E3779B97F4A7C15L + round * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return (int) Math.floorMod(z ^ (z >>> 31), (long) HALF);
  }
}
