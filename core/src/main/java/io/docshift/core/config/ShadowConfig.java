package io.docshift.core.config;

/**
 * The {@code shadow.*} section: how sampled shadow reads run. Which reads are sampled is the live
 * {@code shadowPercent} of the traffic state, not part of this section.
 *
 * @param mode what a sampled read is compared against
 * @param maxConcurrent most shadow reads in flight per proxy; more are shed (counted, not run)
 * @param timeoutMillis longest one shadow read (response and whole body) may take
 */
public record ShadowConfig(ShadowMode mode, int maxConcurrent, long timeoutMillis) {}
