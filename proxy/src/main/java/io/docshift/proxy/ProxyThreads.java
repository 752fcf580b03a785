package io.docshift.proxy;

import io.docshift.core.config.ProxyConfig;
import io.docshift.core.thread.DaemonThreads;
import io.netty.channel.EventLoopGroup;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The threads of one serving instance, sized by {@code proxy.*}: the event loops clients, the S3
 * client and the Cloudinary delivery client share, the shadow reads' own loops, the read path's
 * ledger threads and the upload threads. Closed after everything that runs on them.
 */
final class ProxyThreads implements AutoCloseable {
  /** Idle pool threads end after this long; a quiet instance keeps no threads it does not use. */
  private static final long KEEP_ALIVE_SECONDS = 30;

  private final EventLoopGroup loops;
  private final EventLoopGroup shadowLoops;
  private final ExecutorService ledger;
  private final ExecutorService writes;

  private ProxyThreads(ProxyConfig proxy, int ledgerThreads) {
    this.loops = eventLoops(proxy.eventLoopThreads());
    this.shadowLoops = eventLoops(proxy.shadowEventLoopThreads());
    // JDBC lookups for the ledger cache and repair enqueues: bounded threads and queue.
    this.ledger = pool("docshift-read-ledger", ledgerThreads, proxy.ledgerQueueCapacity());
    // Parsing, hashing and ledger writes of uploads: bounded threads, never the event loops.
    this.writes = pool("docshift-write", proxy.writeThreads(), proxy.writeQueueCapacity());
  }

  /**
   * Starts the threads.
   *
   * @param ledgerThreads the ledger's connection pool size: more lookup threads would only wait
   */
  static ProxyThreads start(ProxyConfig proxy, int ledgerThreads) {
    return new ProxyThreads(proxy, ledgerThreads);
  }

  /**
   * NIO loops on purpose: the AWS SDK recognises only {@code NioEventLoopGroup} (or epoll) when
   * sharing loops, and Netty 4.2 deprecates that class in favour of {@code
   * MultiThreadIoEventLoopGroup}, which the SDK rejects. Sharing saves a second thread pool and a
   * thread hop per S3 chunk.
   */
  @SuppressWarnings("deprecation")
  private static EventLoopGroup eventLoops(int threads) {
    return new io.netty.channel.nio.NioEventLoopGroup(threads);
  }

  private static ExecutorService pool(String name, int threads, int queueCapacity) {
    ThreadPoolExecutor executor =
        new ThreadPoolExecutor(
            threads,
            threads,
            KEEP_ALIVE_SECONDS,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(queueCapacity),
            DaemonThreads.named(name));
    executor.allowCoreThreadTimeOut(true);
    return executor;
  }

  /** Client connections, the S3 client and the Cloudinary delivery client. */
  EventLoopGroup loops() {
    return loops;
  }

  /** The shadow reads' stores. */
  EventLoopGroup shadowLoops() {
    return shadowLoops;
  }

  /** Blocking ledger calls of the read path. */
  ExecutorService ledger() {
    return ledger;
  }

  /** Blocking steps of uploads. */
  ExecutorService writes() {
    return writes;
  }

  /** Stops the pools, then the shadow loops, then the shared loops. */
  @Override
  public void close() {
    writes.shutdownNow();
    ledger.shutdownNow();
    shadowLoops.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
