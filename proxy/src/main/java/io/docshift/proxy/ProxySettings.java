package io.docshift.proxy;

import static java.util.Objects.requireNonNull;

import io.docshift.core.config.ProxyConfig;
import java.time.Duration;

/**
 * Immutable server settings, usually from the {@code proxy.*} config section.
 *
 * @param host listen address
 * @param port listen port, 0 for an ephemeral one
 * @param maxRequestLineBytes longest request line; longer gets 414
 * @param maxHeaderBytes largest header section; larger gets 431
 * @param idleTimeout closes connections without reads or write progress for this long
 * @param headerReadTimeout closes connections whose request headers take longer than this
 * @param cacheMaxAgeSeconds {@code max-age} of {@code Cache-Control} on originals
 * @param maxHeaderCount most header fields in a request; more gets 431
 * @param maxConnections most open client connections; one more is answered 503 and closed
 * @param maxInFlightUploads most Upload API calls spooling or in flight at once; more get 503
 * @param minBodyBytesPerSecond slowest request body after its grace period (408); 0 for no floor
 * @param bodyGrace how long a request body may take before the byte-rate floor applies
 * @param spoolReserveBytes free space the spool file system keeps; uploads that would use it get
 *     507
 * @param storeTotalWait longest total wait on the store of one streamed body (headers plus every
 *     body read asked for); a trickling store is cut there
 * @param writeStall longest time a client may keep its connection unwritable (not reading)
 * @param minResponseBytesPerSecond slowest reader once the socket's send buffer is full; 0 for no
 *     floor
 * @param responseRateGrace how long a reader may lag before the response byte-rate floor applies
 * @param socketSendBufferBytes {@code SO_SNDBUF} of client connections; 0 for the kernel's
 *     autotuning
 */
public record ProxySettings(
    String host,
    int port,
    int maxRequestLineBytes,
    int maxHeaderBytes,
    Duration idleTimeout,
    Duration headerReadTimeout,
    long cacheMaxAgeSeconds,
    int maxHeaderCount,
    int maxConnections,
    int maxInFlightUploads,
    long minBodyBytesPerSecond,
    Duration bodyGrace,
    long spoolReserveBytes,
    Duration storeTotalWait,
    Duration writeStall,
    long minResponseBytesPerSecond,
    Duration responseRateGrace,
    int socketSendBufferBytes) {
  /** Validates; errors read {@code name: value (expected: ...)}. */
  public ProxySettings {
    requireNonNull(host, "host");
    requireNonNull(idleTimeout, "idleTimeout");
    requireNonNull(headerReadTimeout, "headerReadTimeout");
    requireNonNull(bodyGrace, "bodyGrace");
    requireNonNull(storeTotalWait, "storeTotalWait");
    requireNonNull(writeStall, "writeStall");
    requireNonNull(responseRateGrace, "responseRateGrace");
    check(port >= 0 && port <= 65535, "port", port, "0..65535");
    check(maxRequestLineBytes >= 64, "maxRequestLineBytes", maxRequestLineBytes, ">= 64");
    check(maxHeaderBytes >= 256, "maxHeaderBytes", maxHeaderBytes, ">= 256");
    check(!idleTimeout.isNegative() && !idleTimeout.isZero(), "idleTimeout", idleTimeout, "> 0");
    check(
        !headerReadTimeout.isNegative() && !headerReadTimeout.isZero(),
        "headerReadTimeout",
        headerReadTimeout,
        "> 0");
    check(cacheMaxAgeSeconds >= 0, "cacheMaxAgeSeconds", cacheMaxAgeSeconds, ">= 0");
    check(maxHeaderCount >= 1, "maxHeaderCount", maxHeaderCount, ">= 1");
    check(maxConnections >= 1, "maxConnections", maxConnections, ">= 1");
    check(maxInFlightUploads >= 1, "maxInFlightUploads", maxInFlightUploads, ">= 1");
    check(minBodyBytesPerSecond >= 0, "minBodyBytesPerSecond", minBodyBytesPerSecond, ">= 0");
    check(!bodyGrace.isNegative() && !bodyGrace.isZero(), "bodyGrace", bodyGrace, "> 0");
    check(spoolReserveBytes >= 0, "spoolReserveBytes", spoolReserveBytes, ">= 0");
    check(
        !storeTotalWait.isNegative() && !storeTotalWait.isZero(),
        "storeTotalWait",
        storeTotalWait,
        "> 0");
    check(!writeStall.isNegative() && !writeStall.isZero(), "writeStall", writeStall, "> 0");
    check(
        minResponseBytesPerSecond >= 0,
        "minResponseBytesPerSecond",
        minResponseBytesPerSecond,
        ">= 0");
    check(
        !responseRateGrace.isNegative() && !responseRateGrace.isZero(),
        "responseRateGrace",
        responseRateGrace,
        "> 0");
    check(socketSendBufferBytes >= 0, "socketSendBufferBytes", socketSendBufferBytes, ">= 0");
  }

  /** The settings the {@code proxy.*} section describes. */
  public static ProxySettings of(ProxyConfig config) {
    requireNonNull(config, "config");
    return new ProxySettings(
        config.host(),
        config.port(),
        config.maxRequestLineBytes(),
        config.maxHeaderBytes(),
        Duration.ofMillis(config.idleTimeoutMillis()),
        Duration.ofMillis(config.headerReadTimeoutMillis()),
        config.cacheMaxAgeSeconds(),
        config.maxHeaderCount(),
        config.maxConnections(),
        config.maxInFlightUploads(),
        config.minBodyBytesPerSecond(),
        Duration.ofMillis(config.bodyGraceMillis()),
        config.spoolReserveBytes(),
        Duration.ofMillis(config.storeTotalWaitMillis()),
        Duration.ofMillis(config.writeStallMillis()),
        config.minResponseBytesPerSecond(),
        Duration.ofMillis(config.responseRateGraceMillis()),
        config.socketSendBufferBytes());
  }

  /** These settings listening on another port. */
  public ProxySettings withPort(int newPort) {
    return new ProxySettings(
        host,
        newPort,
        maxRequestLineBytes,
        maxHeaderBytes,
        idleTimeout,
        headerReadTimeout,
        cacheMaxAgeSeconds,
        maxHeaderCount,
        maxConnections,
        maxInFlightUploads,
        minBodyBytesPerSecond,
        bodyGrace,
        spoolReserveBytes,
        storeTotalWait,
        writeStall,
        minResponseBytesPerSecond,
        responseRateGrace,
        socketSendBufferBytes);
  }

  private static void check(boolean ok, String name, Object value, String expected) {
    if (!ok) {
      throw new IllegalArgumentException(name + ": " + value + " (expected: " + expected + ")");
    }
  }
}
