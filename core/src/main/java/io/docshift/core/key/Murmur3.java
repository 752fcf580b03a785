package io.docshift.core.key;

/**
 * MurmurHash3 x86 32-bit (Austin Appleby's reference {@code MurmurHash3_x86_32}), little-endian
 * blocks. Implemented here because the sticky-bucket contract must not drift with a library's
 * version, and the function is twenty lines.
 */
final class Murmur3 {
  private static final int C1 = 0xcc9e2d51;
  private static final int C2 = 0x1b873593;

  private Murmur3() {}

  static int hash32(byte[] data, int seed) {
    int h = seed;
    int blocks = data.length / 4;
    for (int i = 0; i < blocks; i++) {
      int at = i * 4;
      int k =
          (data[at] & 0xff)
              | (data[at + 1] & 0xff) << 8
              | (data[at + 2] & 0xff) << 16
              | (data[at + 3] & 0xff) << 24;
      h ^= mixK(k);
      h = Integer.rotateLeft(h, 13) * 5 + 0xe6546b64;
    }
    int tail = blocks * 4;
    int remaining = data.length & 3;
    if (remaining > 0) {
      // Tail bytes, little-endian, as in the reference switch fall-through.
      int k = 0;
      for (int i = remaining - 1; i >= 0; i--) {
        k = (k << 8) | (data[tail + i] & 0xff);
      }
      h ^= mixK(k);
    }
    return fmix(h ^ data.length);
  }

  private static int mixK(int k) {
    return Integer.rotateLeft(k * C1, 15) * C2;
  }

  private static int fmix(int h) {
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    return h ^ (h >>> 16);
  }
}
