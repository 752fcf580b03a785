package io.docshift.proxy.pipeline;

import io.docshift.core.metrics.Operation;
import io.docshift.core.outcome.Backend;
import io.docshift.core.outcome.Outcome;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * How one response is counted: set where the response is built (routing knows the operation,
 * backend and outcome), read by {@link RequestMetrics} when the response ends. Mutable only to
 * record a body that failed after the headers went out ({@link #abort}); touched on the channel's
 * event loop only.
 */
public final class Verdict {
  private final Operation operation;
  private final Optional<Backend> backend;
  private Outcome outcome;
  private boolean aborted;
  private BooleanSupplier finishedByCloudinary = () -> false;

  public Verdict(Operation operation, Optional<Backend> backend, Outcome outcome) {
    this.operation = operation;
    this.backend = backend;
    this.outcome = outcome;
  }

  Operation operation() {
    return operation;
  }

  Optional<Backend> backend() {
    return finishedByCloudinary.getAsBoolean() ? Optional.of(Backend.CLOUDINARY) : backend;
  }

  /**
   * The body may be finished by Cloudinary (a mid-body failover from S3): asked when the response
   * ends, and then the request counts as Cloudinary's. Its S3 failure is counted by the failover
   * report; counting the request as S3's too would add an S3 success after that fault.
   */
  public void finishedByCloudinaryWhen(BooleanSupplier spliced) {
    this.finishedByCloudinary = spliced;
  }

  Outcome outcome() {
    return outcome;
  }

  public boolean aborted() {
    return aborted;
  }

  /** The response was cut after its headers; {@code cause} is the classified reason. */
  public void abort(Outcome cause) {
    this.outcome = cause;
    this.aborted = true;
  }
}
