package io.docshift.stores.s3;

import io.netty.util.concurrent.DefaultThreadFactory;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;

/**
 * The event loop of every S3 client DocShift builds without a caller's group: one loop per process,
 * created on first use and never shut down by a client.
 *
 * <p>Why not the SDK's default: a client without a group borrows the SDK's shared,
 * reference-counted group, and the last client to close shuts it down with a two-second quiet
 * period that {@code close()} waits for. A command or test that opens and closes stores one after
 * the other paid that on every close. Here a client's {@code close()} closes its connections only;
 * the thread (a daemon, so it never holds the JVM open) lives as long as the process, which a
 * long-running {@code serve}, repair worker or backfill needs anyway.
 *
 * <p>Why one loop: while a client has never connected, the SDK's pool still has to learn the
 * protocol from a first connection, and when that connection is refused the SDK sometimes leaves
 * the call waiting for its ten-second connection-acquire timeout instead of failing it. It happens
 * only when the pool, the connection and its promise sit on different loops of a group (with two or
 * four loops, several calls in a few dozen; with one loop, none), so an S3 outage during a repair
 * or a backfill cost ten seconds per call. One loop (TLS included) is ample for the S3 traffic of a
 * backfill, a repair worker or {@code verify}, whose pace Cloudinary downloads and the ledger set;
 * the proxy's own S3 client runs on the proxy's loops instead.
 */
final class S3EventLoops {
  private S3EventLoops() {}

  /** The process-wide group; created by the first caller (lazy holder). */
  static SdkEventLoopGroup shared() {
    return Holder.GROUP;
  }

  private static final class Holder {
    static final SdkEventLoopGroup GROUP =
        SdkEventLoopGroup.builder()
            .numberOfThreads(1)
            .threadFactory(new DefaultThreadFactory("docshift-s3", true))
            .build();
  }
}
