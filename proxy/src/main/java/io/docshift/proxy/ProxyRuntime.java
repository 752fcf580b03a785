package io.docshift.proxy;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Ticker;
import io.docshift.core.config.CloudinaryAccount;
import io.docshift.core.config.DocShiftConfig;
import io.docshift.core.config.StoreSettings;
import io.docshift.core.metrics.MetricsRecorder;
import io.docshift.core.outcome.Backend;
import io.docshift.ledger.Ledger;
import io.docshift.ledger.RepairOperation;
import io.docshift.read.ChangeFeed;
import io.docshift.read.FallbackRepairs;
import io.docshift.read.ReadStores;
import io.docshift.read.RoutedDocumentStore;
import io.docshift.read.ServedMismatches;
import io.docshift.read.VerifiedCopies;
import io.docshift.shadow.ShadowReads;
import io.docshift.stores.cloudinary.CloudinaryDocumentStore;
import io.docshift.stores.cloudinary.CloudinarySigner;
import io.docshift.stores.cloudinary.NettyCloudinaryStore;
import io.docshift.stores.http.UpstreamClient;
import io.docshift.stores.http.UpstreamSettings;
import io.docshift.stores.s3.S3DocumentStore;
import io.docshift.traffic.TrafficStateSource;
import io.docshift.write.CloudinaryApi;
import io.docshift.write.WriteService;
import io.netty.channel.EventLoopGroup;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The read path assembled from a {@link DocShiftConfig}: S3 and Cloudinary stores, the ledger
 * cache, fallback repairs, sampled shadow reads ({@link ShadowReads}, on stores of their own), the
 * pass-through and the {@link ProxyServer}, on one set of NIO event loops shared by the proxy, the
 * S3 client and the Cloudinary delivery client (one thread pool; a client's request and its
 * Cloudinary call run on the same loop). Uploads, destroys and API calls keep the JDK-client {@link
 * CloudinaryDocumentStore} and {@link CloudinaryApi} of the write path. Used by {@code docshift
 * serve}, the sandbox and the integration tests, so they all run the same wiring.
 */
public final class ReadProxy implements AutoCloseable {
  private static final Duration REPAIR_DEDUPE = Duration.ofMinutes(1);

  /** How often the other instances' writes and deletes are read from the ledger's change feed. */
  private static final Duration CHANGE_POLL = Duration.ofMillis(250);

  private final EventLoopGroup group;
  private final EventLoopGroup shadowGroup;
  private final ExecutorService ledgerExecutor;
  private final ChangeFeed changeFeed;
  private final RoutedDocumentStore store;
  private final UpstreamClient delivery;
  private final UpstreamClient shadowDelivery;
  private final CloudinaryApi api;
  private final ExecutorService writeExecutor;
  private final SpoolDirectory spool;
  private final ProxyServer server;

  private ReadProxy(
      DocShiftConfig config, Ledger ledger, TrafficStateSource traffic, MetricsRecorder metrics) {
    this.group = eventLoops(0);
    this.shadowGroup = eventLoops(1);
    this.ledgerExecutor = ledgerExecutor(config.ledger().maxPoolSize());
    CloudinaryAccount account = StoreSettings.cloudinaryAccount(config.cloudinary());
    Duration cloudinaryTimeout = Duration.ofMillis(config.cloudinary().requestTimeoutMillis());
    Duration cloudinaryConnect = Duration.ofMillis(config.cloudinary().connectTimeoutMillis());
    CloudinaryDocumentStore cloudinary =
        CloudinaryDocumentStore.builder(account)
            .connectTimeout(cloudinaryConnect)
            .responseTimeout(cloudinaryTimeout)
            .build();
    UpstreamSettings upstream =
        UpstreamSettings.of(Backend.CLOUDINARY, cloudinaryConnect, cloudinaryTimeout)
            .withTotalWait(Duration.ofMillis(config.proxy().storeTotalWaitMillis()))
            .withTrust(account.trust());
    this.delivery = UpstreamClient.create(account.deliveryUrl(), group, upstream);
    this.shadowDelivery = UpstreamClient.create(account.deliveryUrl(), shadowGroup, upstream);
    VerifiedCopies copies =
        VerifiedCopies.create(
            ledger.documents()::find,
            ledgerExecutor,
            Duration.ofMillis(config.proxy().ledgerCacheTtlMillis()),
            config.proxy().ledgerCacheMaxEntries(),
            Ticker.systemTicker());
    this.changeFeed = ChangeFeed.start(ledger.changes(), copies, CHANGE_POLL);
    FallbackRepairs repairs =
        new FallbackRepairs(
            FallbackRepairs.outboxPut(ledger.outbox()),
            metrics,
            ledgerExecutor,
            REPAIR_DEDUPE,
            100_000,
            Ticker.systemTicker());
    S3DocumentStore s3 = S3DocumentStore.create(StoreSettings.s3(config.s3()).build(), group);
    RoutedDocumentStore routed =
        ReadStores.builder()
            .cloudinary(NettyCloudinaryStore.create(account, delivery, cloudinary))
            .s3(s3)
            .traffic(traffic)
            .copies(copies)
            .firstByteTimeout(Duration.ofMillis(config.proxy().s3FirstByteTimeoutMillis()))
            .onFallback(repairs)
            .onMismatch(
                new ServedMismatches(
                    ledger.documents(), ledger.outbox(), copies, traffic, ledgerExecutor))
            .cloudinaryRepairQueued(
                k -> ledger.outbox().queued(k, RepairOperation.CLOUDINARY_PUT), ledgerExecutor)
            .metrics(metrics)
            .build();
    // Shadow reads get stores of their own (connection pools, one event loop), so they never take
    // the connections or loops clients are served from.
    this.store =
        ShadowReads.builder()
            .primary(routed)
            .shadowCloudinary(
                NettyCloudinaryStore.create(
                    account,
                    shadowDelivery,
                    CloudinaryDocumentStore.builder(account)
                        .connectTimeout(cloudinaryConnect)
                        .responseTimeout(cloudinaryTimeout)
                        .build()))
            .shadowS3(
                S3DocumentStore.create(
                    StoreSettings.s3(config.s3())
                        .maxConcurrency(2 * config.shadow().maxConcurrent())
                        .build(),
                    shadowGroup))
            .traffic(traffic)
            .copies(copies)
            .ledger(ledger, ledgerExecutor)
            .metrics(metrics)
            .settings(config.shadow())
            .build();
    this.writeExecutor = writeExecutor();
    this.spool = SpoolDirectory.open(config.proxy().spoolDir());
    this.api =
        new CloudinaryApi(
            account.apiUrl(),
            cloudinaryConnect,
            cloudinaryTimeout,
            Duration.ofMillis(config.cloudinary().apiTotalTimeoutMillis()),
            account.trust());
    WriteService writes =
        new WriteService(
            account,
            api,
            cloudinary,
            s3,
            ledger,
            traffic,
            metrics,
            writeExecutor,
            spool.path(),
            Clock.systemUTC(),
            changeFeed);
    DeliveryServices services =
        new DeliveryServices(
            store,
            delivery,
            CloudinarySigner.of(account),
            account.cloudName(),
            metrics,
            writes,
            api,
            config.proxy().maxUploadBodyBytes());
    this.server =
        ProxyServer.start(
            ProxySettings.of(config.proxy()), services, group, ListenerTls.of(config.proxyTls()));
  }

  /**
   * Starts the proxy on {@code proxy.host:proxy.port}.
   *
   * @param ledger the open ledger (not closed by {@link #close()})
   * @param traffic the live traffic state
   * @throws IllegalArgumentException when the config lacks the Cloudinary account or the bucket
   */
  public static ReadProxy start(
      DocShiftConfig config, Ledger ledger, TrafficStateSource traffic, MetricsRecorder metrics) {
    requireNonNull(config, "config");
    requireNonNull(ledger, "ledger");
    requireNonNull(traffic, "traffic");
    requireNonNull(metrics, "metrics");
    return new ReadProxy(config, ledger, traffic, metrics);
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

  /** JDBC lookups for the ledger cache and repair enqueues: bounded threads and queue. */
  private static ExecutorService ledgerExecutor(int threads) {
    ThreadPoolExecutor executor =
        new ThreadPoolExecutor(
            threads,
            threads,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(10_000),
            task -> {
              Thread thread = new Thread(task, "docshift-read-ledger");
              thread.setDaemon(true);
              return thread;
            });
    executor.allowCoreThreadTimeOut(true);
    return executor;
  }

  /** Parsing, hashing and ledger writes of uploads: bounded threads, never the event loops. */
  private static ExecutorService writeExecutor() {
    ThreadPoolExecutor executor =
        new ThreadPoolExecutor(
            16,
            16,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(10_000),
            task -> {
              Thread thread = new Thread(task, "docshift-write");
              thread.setDaemon(true);
              return thread;
            });
    executor.allowCoreThreadTimeOut(true);
    return executor;
  }

  /** The port the proxy listens on. */
  public int port() {
    return server.port();
  }

  /** The event loops the proxy and its S3 client run on, for metrics (pending tasks). */
  public EventLoopGroup eventLoopGroup() {
    return group;
  }

  /** The client of Cloudinary's delivery host the proxy serves from (connection counts). */
  UpstreamClient delivery() {
    return delivery;
  }

  /** This run's upload spool directory (one call directory per Upload API request in flight). */
  Path spoolDirectory() {
    return spool.path();
  }

  /** The proxy server. */
  public ProxyServer server() {
    return server;
  }

  /** Stops the server, then the stores, then the threads; the ledger stays open. */
  @Override
  public void close() {
    try {
      server.close();
    } finally {
      store.close();
      delivery.close();
      shadowDelivery.close();
      api.close();
      writeExecutor.shutdownNow();
      changeFeed.close();
      ledgerExecutor.shutdownNow();
      spool.close();
      shadowGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
      group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }
}
