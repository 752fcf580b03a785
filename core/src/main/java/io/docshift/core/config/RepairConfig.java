package io.docshift.core.config;

/**
 * The {@code repair.*} section: draining the repair outbox.
 *
 * @param enabled whether each serving instance runs the repair worker
 * @param intervalMillis pause between two drains of the outbox
 * @param concurrency repairs applied in parallel per instance
 * @param initialBackoffMillis delay after the first failed attempt; doubles per failure
 * @param maxBackoffMillis cap on the delay, at least {@code initialBackoffMillis}
 * @param jitterPercent random share taken off each delay, 0..100
 * @param batchSize repairs a drainer claims at once
 * @param leaseMillis how long a claimed repair stays hidden from other drainers (the visibility
 *     timeout)
 */
public record RepairConfig(
    boolean enabled,
    long intervalMillis,
    int concurrency,
    long initialBackoffMillis,
    long maxBackoffMillis,
    int jitterPercent,
    int batchSize,
    long leaseMillis) {}
