package io.docshift.core.config;

/**
 * The {@code read.copyOnRead.*} section: whether a read Cloudinary served of an original S3 lacks
 * also gets it copied into S3 (by the backfill's copier), and the budget those copies run in.
 *
 * @param enabled whether serving instances copy on read (off by default)
 * @param maxConcurrent copies in flight per instance; a read beyond them queues
 * @param maxBytesPerSecond bytes per second the copies may download and upload per instance (0: no
 *     cap); a copy the budget cannot take now is dropped, not delayed
 * @param queueSize reads waiting for a copy slot per instance; a read beyond them is dropped
 * @param retryAfterMillis how long a document copied (or tried) recently is not tried again
 */
public record CopyOnReadConfig(
    boolean enabled,
    int maxConcurrent,
    long maxBytesPerSecond,
    int queueSize,
    long retryAfterMillis) {}
