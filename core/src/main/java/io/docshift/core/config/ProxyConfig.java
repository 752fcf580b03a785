package io.docshift.core.config;

/**
 * The {@code proxy.*} section: where clients connect, the limits that protect the proxy, and the
 * read path's timeouts and caches.
 *
 * @param host listen address
 * @param port listen port; 0 picks a free port
 * @param maxRequestLineBytes longest request line accepted; longer gets 414
 * @param maxHeaderBytes largest header section accepted; larger gets 431
 * @param idleTimeoutMillis a connection with no reads or writes for this long is closed
 * @param headerReadTimeoutMillis a request whose headers take longer than this to arrive closes the
 *     connection (slow-loris protection)
 * @param s3FirstByteTimeoutMillis longest wait for S3's response before Cloudinary serves instead
 * @param ledgerCacheTtlMillis how long a cached ledger row decides routing
 * @param ledgerCacheMaxEntries most ledger rows cached for routing
 * @param cacheMaxAgeSeconds {@code max-age} of the {@code Cache-Control} header on originals
 * @param maxUploadBodyBytes largest Upload API request body; larger ones are refused with 413
 * @param maxHeaderCount most request header fields; more are refused with 431
 * @param maxConnections most open client connections; more are answered 503 and closed
 * @param maxInFlightUploads most Upload API calls spooling or in flight at once; more get 503
 * @param spoolDir where upload bodies are spooled; empty for {@code docshift-spool} in the system
 *     temp directory
 * @param minBodyBytesPerSecond slowest request body accepted once its grace period is over; a body
 *     behind {@code grace + bytes / rate} gets 408 and a close; 0 turns the floor off
 * @param bodyGraceMillis how long a request body may take before the byte-rate floor applies
 * @param spoolReserveBytes free space the spool file system keeps; an upload that would eat into it
 *     gets 507
 * @param storeTotalWaitMillis longest total wait on the store of one streamed call (headers plus
 *     every body read asked for); a trickling store is cut there
 * @param writeStallMillis a client that keeps its connection unwritable (reads too little to drain
 *     the write buffer below its low watermark) for this long is disconnected
 * @param minResponseBytesPerSecond slowest reader of a response once its grace is over: a client
 *     that, while the socket's send buffer is full, takes less than this on average is
 *     disconnected; 0 turns the floor off
 * @param responseRateGraceMillis how long a reader may be slower than the floor before it applies
 * @param eventLoopThreads NIO event loops shared by client connections, the S3 client and the
 *     Cloudinary delivery client; 0 for Netty's default (twice the available processors)
 * @param shadowEventLoopThreads event loops of the shadow reads' own stores
 * @param ledgerQueueCapacity most read-path ledger lookups and repair enqueues waiting for one of
 *     the {@code ledger.maxPoolSize} ledger threads
 * @param writeThreads threads that parse, hash and record uploads (never the event loops)
 * @param writeQueueCapacity most upload steps waiting for a write thread
 * @param fallbackRepairDedupeMillis how long a fallback's repair of one document is not queued
 *     again
 * @param fallbackRepairDedupeMaxEntries most documents remembered for that deduplication
 * @param changeFeedPollMillis how often the ledger's change feed is read for the writes and deletes
 *     of other instances
 * @param socketSendBufferBytes {@code SO_SNDBUF} of client connections, so a slow reader faces the
 *     response byte-rate floor once its answer outgrows this (Linux doubles it, and caps it at
 *     {@code net.core.wmem_max}); 0 leaves the kernel's autotuning
 */
public record ProxyConfig(
    String host,
    int port,
    int maxRequestLineBytes,
    int maxHeaderBytes,
    long idleTimeoutMillis,
    long headerReadTimeoutMillis,
    long s3FirstByteTimeoutMillis,
    long ledgerCacheTtlMillis,
    long ledgerCacheMaxEntries,
    long cacheMaxAgeSeconds,
    long maxUploadBodyBytes,
    int maxHeaderCount,
    int maxConnections,
    int maxInFlightUploads,
    String spoolDir,
    long minBodyBytesPerSecond,
    long bodyGraceMillis,
    long spoolReserveBytes,
    long storeTotalWaitMillis,
    long writeStallMillis,
    long minResponseBytesPerSecond,
    long responseRateGraceMillis,
    int eventLoopThreads,
    int shadowEventLoopThreads,
    int ledgerQueueCapacity,
    int writeThreads,
    int writeQueueCapacity,
    long fallbackRepairDedupeMillis,
    long fallbackRepairDedupeMaxEntries,
    long changeFeedPollMillis,
    int socketSendBufferBytes) {

  /** Default limits, timeouts and caches ({@code conf/docshift.conf}) for this address. */
  public ProxyConfig(String host, int port) {
    this(
        host,
        port,
        8192,
        16384,
        60_000,
        10_000,
        2_000,
        5_000,
        100_000,
        2_592_000,
        105_906_176,
        100,
        10_000,
        64,
        "",
        500,
        20_000,
        268_435_456L,
        120_000,
        30_000,
        1_024,
        20_000,
        0,
        1,
        10_000,
        16,
        10_000,
        60_000,
        100_000,
        250,
        65_536);
  }
}
