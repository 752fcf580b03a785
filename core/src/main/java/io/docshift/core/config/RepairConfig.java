package io.docshift.core.config;

/**
 * The {@code repair.*} section: draining the repair outbox.
 *
 * @param initialBackoffMillis delay after the first failed attempt; doubles per failure
 * @param maxBackoffMillis cap on the delay, at least {@code initialBackoffMillis}
 * @param jitterPercent random share taken off each delay, 0..100
 * @param batchSize repairs a drainer claims at once
 * @param leaseMillis how long a claimed repair stays hidden from other drainers
 */
public record RepairConfig(
    long initialBackoffMillis,
    long maxBackoffMillis,
    int jitterPercent,
    int batchSize,
    long leaseMillis) {}
