package io.docshift.shadow;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The S3 keys the inventory accounted for, kept as 64-bit FNV-1a hashes (8 bytes a key: 16 MB for
 * the reference 2 million documents) so the S3 listing can be checked for extras without holding
 * every key. A collision could hide one extra object: for 2 million keys the chance is about 10^-7
 * per walk. Adding is thread-safe; {@link #freeze()} sorts once, after the last add.
 */
final class SeenKeys {
  private long[] hashes = new long[1024];
  private int size;
  private boolean frozen;

  synchronized void add(String key) {
    if (frozen) {
      throw new IllegalStateException("add after freeze");
    }
    if (size == hashes.length) {
      hashes = Arrays.copyOf(hashes, size * 2);
    }
    hashes[size++] = hash(key);
  }

  synchronized void freeze() {
    if (!frozen) {
      hashes = Arrays.copyOf(hashes, size);
      Arrays.sort(hashes);
      frozen = true;
    }
  }

  synchronized boolean contains(String key) {
    if (!frozen) {
      throw new IllegalStateException("contains before freeze");
    }
    return Arrays.binarySearch(hashes, hash(key)) >= 0;
  }

  static long hash(String key) {
    long h = 0xcbf29ce484222325L;
    for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return h;
  }
}
