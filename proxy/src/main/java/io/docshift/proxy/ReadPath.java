package io.docshift.proxy;

import com.github.benmanes.caffeine.cache.Ticker;
import io.docshift.core.config.CloudinaryAccount;
import io.docshift.core.config.CloudinaryConfig;
import io.docshift.core.config.DocShiftConfig;
import io.docshift.core.config.ProxyConfig;
import io.docshift.core.config.S3ReadClient;
import io.docshift.core.config.S3Settings;
import io.docshift.core.config.StoreSettings;
import io.docshift.core.metrics.MetricsRecorder;
import io.docshift.core.outcome.Backend;
import io.docshift.core.store.DocumentStore;
import io.docshift.ledger.Ledger;
import io.docshift.ledger.RepairOperation;
import io.docshift.read.ChangeFeed;
import io.docshift.read.FallbackRepairs;
import io.docshift.read.ReadStores;
import io.docshift.read.RoutedDocumentStore;
import io.docshift.read.ServedMismatches;
import io.docshift.read.VerifiedCopies;
import io.docshift.shadow.ShadowLedger;
import io.docshift.shadow.ShadowReads;
import io.docshift.stores.cloudinary.CloudinaryDocumentStore;
import io.docshift.stores.cloudinary.NettyCloudinaryStore;
import io.docshift.stores.http.UpstreamClient;
import io.docshift.stores.http.UpstreamSettings;
import io.docshift.stores.s3.NettyS3Store;
import io.docshift.stores.s3.S3DocumentStore;
import io.docshift.traffic.TrafficStateSource;
import io.docshift.traffic.revert.S3Evidence;
import io.netty.channel.EventLoopGroup;
import java.time.Duration;

/**
 * The read path of one serving instance, composed in this one place: its stores, the routing cache
 * of ledger rows ({@link VerifiedCopies}, kept current by the {@link ChangeFeed}), routing and
 * fallback ({@link ReadStores}, with {@link FallbackRepairs} and {@link ServedMismatches}), and
 * sampled shadow reads around them ({@link ShadowReads}, on stores and a loop of their own):
 *
 * <pre>
 * ShadowReadStore ─▶ StickyReadRouter ─▶ FallbackReadStore(S3 → Cloudinary)
 *                                     └─▶ Cloudinary (delivery host, on the client's loop)
 * </pre>
 *
 * S3 GETs and HEADs go through {@link NettyS3Store} on the same loops unless {@code s3.readClient}
 * says {@code SDK}; every other S3 call goes through the SDK's {@link S3DocumentStore}.
 *
 * <p>The write path borrows the primary S3 store, the Cloudinary store it writes through and the
 * change feed (to drop what it changed from this instance's cache); closing the read path closes
 * them, and the delivery clients.
 */
final class ReadPath implements AutoCloseable {
  private final CloudinaryDocumentStore cloudinary;
  private final UpstreamClient delivery;
  private final UpstreamClient shadowDelivery;
  private final S3DocumentStore s3;
  private final ChangeFeed changeFeed;
  private final ReadCopies copyOnRead;
  private final RoutedDocumentStore store;

  private ReadPath(Sources in, ProxyThreads threads) {
    DocShiftConfig config = in.config();
    UpstreamSettings upstream = upstream(in.account(), config);
    this.cloudinary = cloudinaryStore(in.account(), config.cloudinary());
    this.delivery = UpstreamClient.create(in.account().deliveryUrl(), threads.loops(), upstream);
    this.shadowDelivery =
        UpstreamClient.create(in.account().deliveryUrl(), threads.shadowLoops(), upstream);
    this.s3 = S3DocumentStore.create(StoreSettings.s3(config.s3()).build(), threads.loops());
    ProxyConfig proxy = config.proxy();
    VerifiedCopies copies =
        VerifiedCopies.create(
            in.ledger().documents()::find,
            threads.ledger(),
            Duration.ofMillis(proxy.ledgerCacheTtlMillis()),
            proxy.ledgerCacheMaxEntries(),
            Ticker.systemTicker());
    this.changeFeed =
        ChangeFeed.start(
            in.ledger().changes(),
            copies,
            Duration.ofMillis(proxy.changeFeedPollMillis()),
            in.metrics());
    this.copyOnRead = ReadCopies.open(config, in.ledger(), cloudinary, s3, in.metrics());
    this.store = shadowed(in, routed(in, copies, threads), copies, threads);
  }

  /**
   * What the read path is composed from; the ledger stays the caller's. {@code evidence} is told of
   * every fallback and mid-body failover (auto-revert's feed).
   */
  record Sources(
      DocShiftConfig config,
      CloudinaryAccount account,
      Ledger ledger,
      TrafficStateSource traffic,
      MetricsRecorder metrics,
      S3Evidence evidence) {}

  static ReadPath open(Sources sources, ProxyThreads threads) {
    return new ReadPath(sources, threads);
  }

  /** Weighted sticky routing with fallback to Cloudinary, on the shared loops. */
  private RoutedDocumentStore routed(Sources in, VerifiedCopies copies, ProxyThreads threads) {
    ProxyConfig proxy = in.config().proxy();
    Ledger ledger = in.ledger();
    FallbackRepairs repairs =
        new FallbackRepairs(
            FallbackRepairs.outboxPut(ledger.outbox()),
            in.metrics(),
            threads.ledger(),
            Duration.ofMillis(proxy.fallbackRepairDedupeMillis()),
            proxy.fallbackRepairDedupeMaxEntries(),
            Ticker.systemTicker());
    return ReadStores.builder()
        .cloudinary(NettyCloudinaryStore.create(in.account(), delivery, cloudinary))
        .s3(s3Reads(in.config(), s3, threads.loops()))
        .traffic(in.traffic())
        .copies(copies)
        .firstByteTimeout(Duration.ofMillis(proxy.s3FirstByteTimeoutMillis()))
        .hedge(in.config().hedge())
        .onFallback(repairs)
        .s3Evidence(in.evidence())
        .onMismatch(
            new ServedMismatches(
                ledger.documents(), ledger.outbox(), copies, in.traffic(), threads.ledger()))
        .cloudinaryRepairQueued(
            k -> ledger.outbox().queued(k, RepairOperation.CLOUDINARY_PUT), threads.ledger())
        .metrics(in.metrics())
        .onCloudinaryRead(copyOnRead.listener())
        .build();
  }

  /**
   * Shadow reads around the routed store. Their stores are instances of their own (connection
   * pools, one event loop), so shadows never take the connections or loops clients are served from.
   */
  private RoutedDocumentStore shadowed(
      Sources in, RoutedDocumentStore routed, VerifiedCopies copies, ProxyThreads threads) {
    DocShiftConfig config = in.config();
    EventLoopGroup loops = threads.shadowLoops();
    return ShadowReads.builder()
        .primary(routed)
        .shadowCloudinary(
            NettyCloudinaryStore.create(
                in.account(), shadowDelivery, cloudinaryStore(in.account(), config.cloudinary())))
        .shadowS3(
            s3Reads(
                config,
                S3DocumentStore.create(
                    StoreSettings.s3(config.s3())
                        .maxConcurrency(2 * config.shadow().maxConcurrent())
                        .build(),
                    loops),
                loops))
        .traffic(in.traffic())
        .copies(copies)
        .ledger(ShadowLedger.of(in.ledger()), threads.ledger())
        .metrics(in.metrics())
        .settings(config.shadow())
        .build();
  }

  /**
   * S3 as reads see it: {@code sdk} itself, or reads on DocShift's own client over {@code loops}
   * with {@code sdk} for the rest (closed with it).
   */
  private static DocumentStore s3Reads(
      DocShiftConfig config, S3DocumentStore sdk, EventLoopGroup loops) {
    if (config.s3().readClient() == S3ReadClient.SDK) {
      return sdk;
    }
    S3Settings settings = StoreSettings.s3(config.s3()).build();
    Duration totalWait = Duration.ofMillis(config.proxy().storeTotalWaitMillis());
    return NettyS3Store.create(sdk, settings, loops, totalWait);
  }

  /** The JDK-client store Cloudinary's writes (put, delete) go through. */
  private static CloudinaryDocumentStore cloudinaryStore(
      CloudinaryAccount account, CloudinaryConfig cloudinary) {
    return CloudinaryDocumentStore.builder(account)
        .connectTimeout(Duration.ofMillis(cloudinary.connectTimeoutMillis()))
        .responseTimeout(Duration.ofMillis(cloudinary.requestTimeoutMillis()))
        .build();
  }

  /** Settings of a client of one of Cloudinary's hosts: its timeouts, the proxy's total wait. */
  static UpstreamSettings upstream(CloudinaryAccount account, DocShiftConfig config) {
    return UpstreamSettings.of(
            Backend.CLOUDINARY,
            Duration.ofMillis(config.cloudinary().connectTimeoutMillis()),
            Duration.ofMillis(config.cloudinary().requestTimeoutMillis()))
        .withTotalWait(Duration.ofMillis(config.proxy().storeTotalWaitMillis()))
        .withTrust(account.trust());
  }

  /** Originals, routed between S3 and Cloudinary, shadowed when sampled. */
  RoutedDocumentStore store() {
    return store;
  }

  /** Cloudinary's delivery host, on the shared loops: also relays what DocShift does not store. */
  UpstreamClient delivery() {
    return delivery;
  }

  /** The primary S3 store, which the write path writes to as well. */
  S3DocumentStore s3() {
    return s3;
  }

  /** The Cloudinary store the write path writes through. */
  CloudinaryDocumentStore cloudinary() {
    return cloudinary;
  }

  /** Where the write path drops the rows it changed from this instance's cache at once. */
  ChangeFeed changeFeed() {
    return changeFeed;
  }

  /** Closes the composed store (and so every store in it), the delivery clients and the feed. */
  @Override
  public void close() {
    try {
      copyOnRead.close(); // first: its copies use the stores closed below
      store.close();
    } finally {
      delivery.close();
      shadowDelivery.close();
      changeFeed.close();
    }
  }
}
