package io.docshift.app.backfill;

import io.docshift.backfill.PaceOptions;
import picocli.CommandLine.Option;

/** The backfill's pacing flags: how it yields to the proxies' reads, and its byte cap. */
final class PaceFlags {
  @Option(
      names = "--adaptive",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "Slow down while the proxies' reads suffer (p99 or faults over the limits below, from"
              + " the counts every proxy adds to the ledger), speed up again after (default: on).")
  boolean adaptive = true;

  @Option(
      names = "--pace-p99-millis",
      description =
          "The proxies' read p99 that slows the backfill: 25, 50, 100, 250, 500, 1000 or 2500.")
  Long p99Millis;

  @Option(
      names = "--pace-fault-percent",
      description = "The share of the proxies' reads that may fail before the backfill slows.")
  Double faultPercent;

  @Option(
      names = "--max-bytes-per-second",
      description = "Cap on the bytes copied per second (default: none).")
  long maxBytesPerSecond;

  /**
   * @throws IllegalArgumentException naming the first invalid flag's value
   */
  PaceOptions options() {
    PaceOptions d = PaceOptions.defaults();
    return new PaceOptions(
        adaptive,
        p99Millis != null ? p99Millis : d.p99Millis(),
        faultPercent != null ? faultPercent : d.faultPercent(),
        d.interval(),
        maxBytesPerSecond);
  }
}
