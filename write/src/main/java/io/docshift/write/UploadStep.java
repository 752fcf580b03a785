package io.docshift.write;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * One step of an upload on the write path (parse, ledger calls, hash, each store's call, ...) as a
 * JFR event, so a recording of a running {@code docshift serve} shows where an upload's time goes
 * ({@code loadtest/bench-write.sh} with {@code PROFILE=1} records and sums them). The event's
 * duration is the step's wall-clock span, from its start to its end on whatever thread ended it.
 * Without a recording an event costs one object and two clock reads; nothing is written.
 */
@Name("io.docshift.UploadStep")
@Label("Upload step")
@Category({"DocShift", "Write path"})
@Description("Wall-clock span of one step of an upload through the write path")
@StackTrace(false)
final class UploadStep extends Event {
  @Label("Step")
  String step;

  @Label("Public id")
  @Description("The upload's public_id, or empty when it names none")
  String publicId;

  private UploadStep(String step, String publicId) {
    this.step = step;
    this.publicId = publicId == null ? "" : publicId;
  }

  /** A step starting now, ended by {@link #end()}; {@code publicId} may be named later. */
  static UploadStep start(String step, String publicId) {
    UploadStep event = new UploadStep(step, publicId);
    event.begin();
    return event;
  }

  /** Names the upload's public id once it is known (after parsing). */
  void name(String id) {
    this.publicId = id == null ? "" : id;
  }

  /** Ends the step now. */
  void done() {
    commit();
  }

  /** Times {@code work}, run on the caller's thread. */
  static <T> T sync(String step, String publicId, Supplier<T> work) {
    UploadStep event = start(step, publicId);
    try {
      return work.get();
    } finally {
      event.done();
    }
  }

  /** Times the asynchronous call {@code work} starts, until its future completes (either way). */
  static <T> CompletableFuture<T> async(
      String step, String publicId, Supplier<CompletableFuture<T>> work) {
    UploadStep event = start(step, publicId);
    CompletableFuture<T> future;
    try {
      future = work.get();
    } catch (RuntimeException e) {
      event.done();
      throw e;
    }
    return future.whenComplete((x, t) -> event.done());
  }
}
