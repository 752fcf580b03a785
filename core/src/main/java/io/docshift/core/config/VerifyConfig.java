package io.docshift.core.config;

/**
 * The {@code verify.*} section: the offline {@code docshift verify} walk.
 *
 * @param concurrency documents checked in parallel
 */
public record VerifyConfig(int concurrency) {}
