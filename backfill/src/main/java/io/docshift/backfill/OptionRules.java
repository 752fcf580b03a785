package io.docshift.backfill;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The rules {@link BackfillOptions} and {@link RepairOptions} share: how a value is checked, what a
 * claim batch and a timeout may be, and the defaults of a process's name and spool directory.
 * Errors read {@code name: value (expected: ...)}.
 */
final class OptionRules {
  private OptionRules() {}

  /**
   * @throws IllegalArgumentException as {@code name: value (expected: expected)} unless {@code ok}
   */
  static void check(boolean ok, String name, Object value, String expected) {
    if (!ok) {
      throw new IllegalArgumentException(name + ": " + value + " (expected: " + expected + ")");
    }
  }

  /** A name on leases or claims: non-null, not blank. */
  static void name(String value, String name) {
    requireNonNull(value, name);
    check(!value.isBlank(), name, value, "a non-blank name");
  }

  /** Rows claimed from the ledger at once: 1..10000. */
  static void batchSize(int value) {
    check(value >= 1 && value <= 10_000, "batchSize", value, "1..10000");
  }

  /** A duration of at least one millisecond. */
  static void positive(Duration value, String name) {
    requireNonNull(value, name);
    check(value.toMillis() >= 1, name, value, "a positive duration");
  }

  /** The longest one document's transfer may take: at least one millisecond. */
  static void documentTimeout(Duration value) {
    requireNonNull(value, "documentTimeout");
    check(value.toMillis() >= 1, "documentTimeout", value, "positive");
  }

  /** {@code prefix$HOSTNAME-pid}: unique among live processes on one ledger. */
  static String processName(String prefix) {
    String host = System.getenv().getOrDefault("HOSTNAME", "host");
    return prefix + host + "-" + ProcessHandle.current().pid();
  }

  /** {@code java.io.tmpdir}. */
  static Path tmpDir() {
    return Path.of(System.getProperty("java.io.tmpdir"));
  }
}
