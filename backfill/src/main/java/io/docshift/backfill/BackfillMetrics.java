package io.docshift.backfill;

/**
 * What a backfill run reports to a metrics system. Reasons are a small fixed vocabulary (outcome
 * tags such as {@code cloudinary_not_found}, {@code s3_5xx}, {@code source_changed}), never
 * document ids, so they are safe as tags. Implementations must be thread-safe and cheap: they are
 * called from every copy worker.
 *
 * <p>Defined here because core's {@code MetricsRecorder} describes proxy requests (operation,
 * backend, outcome) and has no notion of a copy queue or an Admin API budget; {@link
 * MicrometerBackfillMetrics} is the one implementation that touches a registry.
 */
public interface BackfillMetrics {
  /** Admin API entries written to the ledger. */
  void listed(int documents);

  /** A document copied to S3 and verified. */
  void copied(long bytes);

  /** A document left alone, and why ({@code already_in_s3}, {@code s3_newer}, ...). */
  void skipped(String reason);

  /** A document that could not be copied this run, and why. */
  void failed(String reason);

  /** A document copied whose MD5 differs from Cloudinary's etag (state {@code mismatch}). */
  void mismatch();

  /** One Admin API call and how it ended ({@code ok}, {@code throttled}, {@code error}). */
  void adminCall(String outcome);

  /** Admin API calls left in this hour. */
  void adminBudgetRemaining(int calls);

  /** Documents the ledger still holds for copying (absent, copied, mismatch). */
  void queueRemaining(long documents);

  /**
   * The run changed its pace ({@code slowed} or {@code sped_up}) to {@code concurrency} copies at
   * once, or reports it unchanged ({@code held}).
   */
  default void pace(String change, int concurrency) {}

  /** Records nothing. */
  static BackfillMetrics noop() {
    return NoopMetrics.INSTANCE;
  }
}
