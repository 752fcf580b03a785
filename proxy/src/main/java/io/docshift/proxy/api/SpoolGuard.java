package io.docshift.proxy.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.ToLongFunction;

/**
 * Keeps the spool from filling its disk: an upload is refused (507) before its body is read when
 * the spool file system's usable space minus its declared length is under the reserve, and every
 * {@value #STEP} bytes a body grows (chunked bodies announce no length) it must leave room for one
 * more step. A full disk would otherwise fail every upload half-way and whatever else shares it.
 */
final class SpoolGuard {
  /** How often, in body bytes, a growing body looks at the free space again (one statfs). */
  static final long STEP = 1 << 20;

  private final long reserveBytes;
  private final ToLongFunction<Path> usableSpace;

  SpoolGuard(long reserveBytes) {
    this(reserveBytes, SpoolGuard::usable);
  }

  SpoolGuard(long reserveBytes, ToLongFunction<Path> usableSpace) {
    this.reserveBytes = reserveBytes;
    this.usableSpace = usableSpace;
  }

  /** Whether writing {@code more} bytes under {@code dir} still leaves the reserve free. */
  boolean roomFor(Path dir, long more) {
    return usableSpace.applyAsLong(dir) - Math.max(0, more) >= reserveBytes;
  }

  /** Whether a body that grew from {@code before} to {@code after} bytes is due a new look. */
  static boolean due(long before, long after) {
    return before / STEP != after / STEP;
  }

  private static long usable(Path dir) {
    try {
      return Files.getFileStore(dir).getUsableSpace();
    } catch (IOException e) {
      // Not knowable: let the body through; a spool write that then fails is answered 500.
      return Long.MAX_VALUE;
    }
  }
}
