package io.docshift.app.write;

/**
 * One operation of a history: what a client asked for, when ({@link System#nanoTime()}), and what
 * it saw. A write carries the SHA-256 of its unique payload; a rename names its target.
 *
 * @param seq order of invocation
 * @param client the client thread
 * @param kind what was asked
 * @param id the public_id written or deleted (a rename's source)
 * @param to a rename's target, else null
 * @param sha256 the payload's digest (writes only)
 * @param invoke when the request started
 * @param complete when the client saw the outcome (or gave up)
 * @param outcome what the client saw
 * @param detail status, version or error, for the report
 */
record HistoryOp(
    int seq,
    int client,
    Kind kind,
    String id,
    String to,
    String sha256,
    long invoke,
    long complete,
    Outcome outcome,
    String detail) {

  /** What a client asked DocShift to do. */
  enum Kind {
    SIGNED_UPLOAD,
    UNSIGNED_UPLOAD,
    UPLOAD_LARGE,
    DESTROY,
    RENAME,
    ADMIN_DELETE;

    boolean writes() {
      return this == SIGNED_UPLOAD || this == UNSIGNED_UPLOAD || this == UPLOAD_LARGE;
    }
  }

  /** What the client saw. */
  enum Outcome {
    /** Acknowledged: the write, delete or rename happened. */
    OK,
    /** Answered 200 without a change (unsigned upload of an existing id, nothing to delete). */
    NOOP,
    /** Refused with a 4xx: nothing may have changed. */
    REFUSED,
    /** No answer before DocShift died or failed (connection error, 5xx): took effect or not. */
    UNKNOWN,
    /** Timed out: may still take effect at any later time. */
    TIMEOUT;

    boolean indeterminate() {
      return this == UNKNOWN || this == TIMEOUT;
    }
  }

  /** The latest time this operation can have taken effect. */
  long latestEffect() {
    return outcome == Outcome.TIMEOUT ? Long.MAX_VALUE : complete;
  }

  /** True when the operation may have changed {@code publicId}. */
  boolean mayTouch(String publicId) {
    return (outcome == Outcome.OK || outcome.indeterminate())
        && (id.equals(publicId) || publicId.equals(to));
  }

  @Override
  public String toString() {
    return String.format(
        "#%d c%d %s %s%s %s%s (%s) [%.3f s .. %.3f s]",
        seq,
        client,
        kind,
        id,
        to == null ? "" : " -> " + to,
        outcome,
        sha256 == null ? "" : " sha=" + sha256.substring(0, 12),
        detail,
        invoke / 1e9,
        complete / 1e9);
  }
}
