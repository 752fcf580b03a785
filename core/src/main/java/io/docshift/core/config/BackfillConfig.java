package io.docshift.core.config;

/**
 * The {@code backfill.*} section.
 *
 * @param concurrency parallel copy workers per process
 * @param adminCallsPerHour Admin API call budget per hour
 * @param batchSize documents a worker claims at once
 * @param leaseMillis how long a claimed batch stays with its worker
 */
public record BackfillConfig(
    int concurrency, int adminCallsPerHour, int batchSize, long leaseMillis) {}
