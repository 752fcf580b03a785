package io.docshift.proxy;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetric;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.util.internal.PlatformDependent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * What this JVM holds right now, to compare before and after many calls: open file descriptors
 * ({@code /proc/self/fd}), live threads (those of the test's own stub stores left out), and the
 * memory Netty's default allocator has handed out, direct and heap.
 *
 * @param directBytes Netty's own direct-memory counter when it keeps one, else the allocator's
 */
record Usage(long fds, long threads, long directBytes, long heapBytes) {
  static Usage now() {
    ByteBufAllocatorMetric metric =
        ((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT).metric();
    long direct = PlatformDependent.usedDirectMemory();
    return new Usage(
        openFds(),
        Thread.getAllStackTraces().keySet().stream()
            .filter(t -> !t.getName().startsWith("stub-backend"))
            .count(),
        direct >= 0 ? direct : metric.usedDirectMemory(),
        metric.usedHeapMemory());
  }

  /** Whether nothing grew past {@code slack} over {@code baseline}. */
  boolean within(Usage baseline, Usage slack) {
    return fds <= baseline.fds + slack.fds
        && threads <= baseline.threads + slack.threads
        && directBytes <= baseline.directBytes + slack.directBytes
        && heapBytes <= baseline.heapBytes + slack.heapBytes;
  }

  /**
   * TCP sockets of this process's network namespace to {@code host:port} that are not in TIME_WAIT:
   * a connect still trying (SYN_SENT), or a connection still open. Reads {@code /proc/self/net/tcp}
   * and {@code tcp6} (IPv4-mapped addresses end in the same eight digits).
   */
  static long socketsTo(String host, int port) {
    String[] octets = host.split("\\.");
    String hex =
        String.format(
            Locale.ROOT,
            "%02X%02X%02X%02X:%04X",
            Integer.parseInt(octets[3]),
            Integer.parseInt(octets[2]),
            Integer.parseInt(octets[1]),
            Integer.parseInt(octets[0]),
            port);
    return count("tcp", hex) + count("tcp6", hex);
  }

  private static long count(String table, String remote) {
    Path file = Path.of("/proc/self/net", table);
    if (!Files.exists(file)) {
      return 0;
    }
    try (Stream<String> lines = Files.lines(file)) {
      return lines
          .skip(1)
          .map(String::strip)
          .map(l -> l.split("\\s+"))
          .filter(f -> f.length > 3 && f[2].endsWith(remote) && !f[3].equals("06"))
          .count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long openFds() {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
