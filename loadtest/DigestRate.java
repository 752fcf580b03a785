import java.security.MessageDigest;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.CRC32C;

/**
 * CPU cost of the digests DocShift computes while bodies stream (the read path's VerifyingBody:
 * SHA-256, or MD5 for rows without one; shadow reads: CRC-32C), on one core of this machine, fed
 * in 16 KiB buffers as a relayed body arrives. For loadtest/RESULTS.md; there is no switch that
 * turns the read path's hash off, so its share is this rate against the proxy's CPU per request.
 *
 * <pre>
 *   java loadtest/DigestRate.java [MiB per algorithm, default 2048]
 * </pre>
 */
public final class DigestRate {
  public static void main(String[] args) throws Exception {
    long mib = args.length > 0 ? Long.parseLong(args[0]) : 2048;
    byte[] buffer = new byte[16 * 1024];
    ThreadLocalRandom.current().nextBytes(buffer);
    for (String algorithm : new String[] {"SHA-256", "MD5", "CRC32C"}) {
      run(algorithm, buffer, mib / 4); // warm-up: JIT and intrinsics
      double seconds = run(algorithm, buffer, mib);
      System.out.printf("%-7s %6.0f MB/s  %.3f ms of CPU per MiB%n", algorithm,
          mib * 1048576 / seconds / 1e6, seconds * 1000 / mib);
    }
  }

  private static double run(String algorithm, byte[] buffer, long mib) throws Exception {
    long rounds = mib * 1048576 / buffer.length;
    long start = System.nanoTime();
    if (algorithm.equals("CRC32C")) {
      CRC32C crc = new CRC32C();
      for (long i = 0; i < rounds; i++) {
        crc.update(buffer, 0, buffer.length);
      }
      sink(crc.getValue());
    } else {
      MessageDigest digest = MessageDigest.getInstance(algorithm);
      for (long i = 0; i < rounds; i++) {
        digest.update(buffer, 0, buffer.length);
      }
      sink(digest.digest()[0]);
    }
    return (System.nanoTime() - start) / 1e9;
  }

  private static volatile long sunk;

  private static void sink(long value) {
    sunk += value;
  }
}
