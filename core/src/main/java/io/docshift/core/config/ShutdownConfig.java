package io.docshift.core.config;

/**
 * The {@code shutdown.*} section: the graceful drain of {@code docshift serve} on SIGTERM.
 *
 * @param readinessDelayMillis how long the instance reports unready while still accepting, so load
 *     balancers stop sending before the listener closes
 * @param drainTimeoutMillis how long requests and uploads in flight may take to finish once the
 *     listener is closed; their connections are closed when it ends
 */
public record ShutdownConfig(long readinessDelayMillis, long drainTimeoutMillis) {}
