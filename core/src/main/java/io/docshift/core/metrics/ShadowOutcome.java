package io.docshift.core.metrics;

import java.util.Locale;

/** How one sampled shadow read ended: the {@code outcome} tag of shadow metrics. */
public enum ShadowOutcome {
  /** Both stores answered the same status, length, content type and checksum. */
  MATCHED,
  /** The stores disagree: recorded in the ledger, routed away from S3, queued for repair. */
  MISMATCHED,
  /** Not comparable by a named rule (e.g. the client cancelled, a transformed URL). */
  IGNORED,
  /** The shadow read failed or timed out; says nothing about the content. */
  ERROR,
  /** Not started: the shadow concurrency limit was reached (load shedding). */
  SHED;

  /** Lowercase name for metrics tags. */
  public String tag() {
    return name().toLowerCase(Locale.ROOT);
  }
}
