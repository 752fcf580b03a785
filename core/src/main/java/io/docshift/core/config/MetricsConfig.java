package io.docshift.core.config;

/**
 * The {@code metrics.*} section: what every process reports, whichever registry receives it.
 *
 * @param ledgerPollMillis how often the ledger gauges (documents per state, repair outbox) re-read
 *     the ledger; a scrape or a Datadog post reads the last poll, never the database
 */
public record MetricsConfig(long ledgerPollMillis) {}
