package io.docshift.proxy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The upload spool of one proxy run: {@code ROOT/run-PID-N}, one call directory per request inside
 * it. At start, the run directories of processes that are gone (a crash, a kill) are removed, so a
 * restart never leaves what the last run spooled; directories of live processes (a second {@code
 * serve} on the same machine) are left alone. {@link #close()} removes this run's directory.
 */
final class SpoolDirectory implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SpoolDirectory.class);
  private static final String PREFIX = "run-";

  private final Path run;

  private SpoolDirectory(Path run) {
    this.run = run;
  }

  /**
   * Clears stale runs under {@code configured} (empty: {@code docshift-spool} in the system temp
   * directory) and makes this run's directory.
   */
  static SpoolDirectory open(String configured) {
    Path root =
        configured.isEmpty()
            ? Path.of(System.getProperty("java.io.tmpdir"), "docshift-spool")
            : Path.of(configured);
    try {
      Files.createDirectories(root);
      removeStale(root);
      long pid = ProcessHandle.current().pid();
      return new SpoolDirectory(Files.createTempDirectory(root, PREFIX + pid + "-"));
    } catch (IOException e) {
      throw new UncheckedIOException("spool directory " + root + " unusable", e);
    }
  }

  /** This run's directory. */
  Path path() {
    return run;
  }

  private static void removeStale(Path root) throws IOException {
    try (DirectoryStream<Path> runs = Files.newDirectoryStream(root, PREFIX + "*")) {
      for (Path dir : runs) {
        Optional<Long> pid = pid(dir.getFileName().toString());
        boolean alive = pid.flatMap(ProcessHandle::of).map(ProcessHandle::isAlive).orElse(false);
        if (pid.isPresent() && !alive) {
          LOG.info("removing the spool of an earlier run: {}", dir);
          deleteTree(dir);
        }
      }
    }
  }

  /** The process id in {@code run-PID-N}, if the name has that shape. */
  static Optional<Long> pid(String name) {
    int end = name.indexOf('-', PREFIX.length());
    if (!name.startsWith(PREFIX) || end < 0) {
      return Optional.empty();
    }
    try {
      return Optional.of(Long.parseLong(name.substring(PREFIX.length(), end)));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static void deleteTree(Path dir) {
    // Two instances starting at once (a fleet on one host, a restart racing another) clear the
    // same dead run: a file the other one removed first makes the walk throw, which is fine.
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder()).forEach(SpoolDirectory::deleteQuietly);
    } catch (IOException | UncheckedIOException e) {
      LOG.warn("spool directory {} not removed: {}", dir, e.toString());
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      LOG.warn("spool file {} not removed: {}", p, e.toString());
    }
  }

  /** Removes this run's directory and whatever is still in it. */
  @Override
  public void close() {
    deleteTree(run);
  }
}
