package io.docshift.core.metrics;

import io.docshift.core.key.ResourceType;
import io.docshift.core.outcome.Backend;
import io.docshift.core.outcome.Outcome;
import java.util.Optional;

/**
 * Where DocShift reports what happened, classified before it is counted. Only the Micrometer
 * implementation touches a registry; everything else calls this interface. Tags are bounded: {@link
 * Operation}, {@link Backend}, {@link ResourceType} and {@link Outcome} are enums, never document
 * ids.
 *
 * <p>Implementations must be thread-safe and cheap: they are called on event-loop threads.
 */
public interface MetricsRecorder {
  /** Records nothing; for tests and tools that do not report. */
  MetricsRecorder NOOP = new NoopMetricsRecorder();

  /**
   * One client request finished (last byte written, or aborted).
   *
   * @param backend the store that answered; empty when none was asked (rejected input)
   * @param resourceType the {@code resource_type} the request's path named; empty when it named
   *     none (a malformed path, or {@code auto} on an upload)
   * @param outcome the classified result; a response aborted mid-body carries the body's failure
   * @param nanos from the request's arrival to its end
   */
  void request(
      Operation operation,
      Optional<Backend> backend,
      Optional<ResourceType> resourceType,
      Outcome outcome,
      long nanos);

  /** An S3 read failed before the first byte and Cloudinary served it instead. */
  void fallback(Outcome cause);

  /**
   * An S3 read failed after its response had started and Cloudinary was asked to continue it (a
   * mid-body failover).
   *
   * @param cause the classified S3 failure
   * @param outcome how the continuation ended
   */
  default void failover(Outcome cause, FailoverOutcome outcome) {}

  /**
   * A read routed to S3 was hedged: S3 had not answered within the hedge delay, so Cloudinary was
   * asked too ({@link HedgeOutcome#OVER_BUDGET}: would have been, but the budget was spent).
   */
  default void hedge(HedgeOutcome outcome) {}

  /** The ledger could not say whether a document's S3 copy is verified (it was read elsewhere). */
  void ledgerLookupFailure();

  /**
   * A shadow read finished (or was not started): the {@code outcome} tag of {@code
   * docshift.shadow.comparisons}.
   *
   * @param rule for {@link ShadowOutcome#IGNORED}, the bounded name of the rule that ignored it;
   *     {@code "none"} otherwise
   */
  default void shadow(ShadowOutcome outcome, String rule) {}

  /**
   * The secondary write of a dual-write ended; anything but success left a repair-outbox row.
   *
   * @param secondary the store written second (or in parallel, but not acknowledged on)
   */
  default void secondaryWrite(Backend secondary, Outcome outcome) {}

  /**
   * The repair worker applied (or failed to apply) one outbox row.
   *
   * @param operation the bounded repair operation name, e.g. {@code put} or {@code delete}
   */
  default void repair(String operation, Outcome outcome) {}

  /** One of the proxy's limits closed a client connection (slow or silent client). */
  default void connectionClosed(ConnectionLimit limit) {}

  /**
   * A poll of the ledger's document change feed failed: until one succeeds, this instance's read
   * cache may miss other instances' changes, so it trusts only recently read rows.
   */
  default void changeFeedFailure() {}

  /** A read's copy into S3 (copy on read) ended with {@code outcome}. */
  default void copyOnRead(CopyOnReadOutcome outcome) {}
}
