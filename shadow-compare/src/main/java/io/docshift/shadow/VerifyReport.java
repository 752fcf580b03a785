package io.docshift.shadow;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * A verify walk's counts, so far or at the end.
 *
 * @param elapsed time since the walk started
 * @param checked expected documents checked
 * @param listed S3 objects listed while looking for extras
 * @param found findings per kind (errors included)
 * @param repaired findings per kind that {@code --repair} fixed
 * @param walkedAll whether both the inventory and the S3 listing were walked to the end
 * @param fatal why the walk stopped early, when it did
 */
public record VerifyReport(
    Duration elapsed,
    long checked,
    long listed,
    Map<FindingKind, Long> found,
    Map<FindingKind, Long> repaired,
    boolean walkedAll,
    Optional<String> fatal) {
  /** Validates and copies. */
  public VerifyReport {
    requireNonNull(elapsed, "elapsed");
    found = Map.copyOf(requireNonNull(found, "found"));
    repaired = Map.copyOf(requireNonNull(repaired, "repaired"));
    requireNonNull(fatal, "fatal");
  }

  /** Differences found (errors excluded). */
  public long differences() {
    return found.entrySet().stream()
        .filter(e -> e.getKey().differs())
        .mapToLong(Map.Entry::getValue)
        .sum();
  }

  /** Differences left after repairs. */
  public long unrepaired() {
    return differences() - repaired.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Documents that could not be checked. */
  public long errors() {
    return found.getOrDefault(FindingKind.ERROR, 0L);
  }

  /** Everything was walked and checked: no error, not stopped. */
  public boolean complete() {
    return walkedAll && fatal.isEmpty() && errors() == 0;
  }
}
