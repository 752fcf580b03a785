package io.docshift.copier;

import static java.util.Objects.requireNonNull;

import io.docshift.core.retry.Backoff;
import io.docshift.core.retry.Sleeper;
import io.docshift.core.store.DocumentStore;
import io.docshift.ledger.Documents;
import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;

/**
 * The one copier as the tests of the modules that copy run it (the backfill's and the write path's
 * secondary S3 tests), from this module's test jar: a 1 MiB spool, three attempts with millisecond
 * backoffs, {@link #TIMEOUT} on every store call. It lives in {@code copier}'s tests, not in a
 * {@code testkit} module, because those are below {@code copier} (its own tests use them): a {@code
 * testkit} that depended on {@code copier} would close a cycle.
 */
public final class TestCopiers {
  /** The store-call timeout of the copier and its spool. */
  public static final Duration TIMEOUT = Duration.ofSeconds(30);

  private TestCopiers() {}

  /**
   * A copier from {@code source} to {@code s3} settling on {@code documents}, spooling under {@code
   * spoolDir} (at most 1 MiB in heap), its backoffs taken by {@code sleeper}.
   */
  public static DocumentCopier copier(
      Documents documents, DocumentStore source, DocumentStore s3, Path spoolDir, Sleeper sleeper) {
    Backoff backoff =
        Backoff.halfJitter(Duration.ofMillis(1), Duration.ofMillis(4), new SplittableRandom(1));
    return new DocumentCopier(
        requireNonNull(documents, "documents"),
        requireNonNull(source, "source"),
        requireNonNull(s3, "s3"),
        new Spool(requireNonNull(spoolDir, "spoolDir"), 1 << 20, TIMEOUT),
        new Retrier(3, backoff, requireNonNull(sleeper, "sleeper")),
        TIMEOUT);
  }
}
