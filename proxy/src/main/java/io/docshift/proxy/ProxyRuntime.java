package io.docshift.proxy;

import static java.util.Objects.requireNonNull;

import io.docshift.core.config.CloudinaryAccount;
import io.docshift.core.config.CloudinaryConfig;
import io.docshift.core.config.DocShiftConfig;
import io.docshift.core.config.StoreSettings;
import io.docshift.core.metrics.MetricsRecorder;
import io.docshift.core.store.DocumentTurns;
import io.docshift.ledger.Ledger;
import io.docshift.proxy.delivery.DeliverySources;
import io.docshift.stores.cloudinary.CloudinarySigner;
import io.docshift.stores.http.UpstreamClient;
import io.docshift.traffic.TrafficStateSource;
import io.docshift.traffic.revert.S3Evidence;
import io.docshift.write.CloudinaryApi;
import io.docshift.write.WriteLedger;
import io.docshift.write.WriteService;
import io.netty.channel.EventLoopGroup;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * The proxy of one serving instance and the delivery services it serves from, composed from a
 * {@link DocShiftConfig}: its threads ({@link ProxyThreads}), the read path ({@link ReadPath}), the
 * write path ({@link WriteService}) with the upload spool, a client of Cloudinary's API host for
 * the API pass-through, and the {@link ProxyServer} handed all of them as {@link DeliveryServices}.
 * Clients, the S3 client and the Cloudinary delivery and API clients share one set of NIO event
 * loops (a client's request and its Cloudinary call run on the same loop). Used by {@code docshift
 * serve}, the sandbox and the integration tests, so they all run the same wiring.
 */
public final class ProxyRuntime implements AutoCloseable {
  private final ProxyThreads threads;
  private final ReadPath read;
  private final CloudinaryApi api;
  private final UpstreamClient apiRelay;
  private final SpoolDirectory spool;
  private final WriteService writes;
  private final ProxyServer server;

  private ProxyRuntime(
      DocShiftConfig config,
      Ledger ledger,
      TrafficStateSource traffic,
      MetricsRecorder metrics,
      S3Evidence evidence) {
    CloudinaryAccount account = StoreSettings.cloudinaryAccount(config.cloudinary());
    this.threads = ProxyThreads.start(config.proxy(), config.ledger().maxPoolSize());
    this.read =
        ReadPath.open(
            new ReadPath.Sources(config, account, ledger, traffic, metrics, evidence), threads);
    this.spool = SpoolDirectory.open(config.proxy().spoolDir());
    this.api = cloudinaryApi(account, config.cloudinary());
    this.apiRelay =
        UpstreamClient.create(
            account.apiUrl(), threads.loops(), ReadPath.upstream(account, config));
    this.writes =
        new WriteService(
            account,
            api,
            read.cloudinary(),
            read.s3(),
            WriteLedger.of(ledger),
            traffic,
            metrics,
            threads.writes(),
            spool.path(),
            Clock.systemUTC(),
            read.changeFeed());
    DeliveryServices services =
        new DeliveryServices(
            new DeliverySources(
                read.store(), read.delivery(), CloudinarySigner.of(account), account.cloudName()),
            metrics,
            evidence,
            writes,
            apiRelay,
            config.proxy().maxUploadBodyBytes());
    this.server =
        ProxyServer.start(
            ProxySettings.of(config.proxy()),
            services,
            threads.loops(),
            ListenerTls.of(config.proxyTls()));
  }

  /**
   * Starts the proxy on {@code proxy.host:proxy.port}.
   *
   * @param ledger the open ledger (not closed by {@link #close()})
   * @param traffic the live traffic state
   * @param evidence auto-revert's feed: requests S3 answered, fallbacks and mid-body failovers
   *     ({@link S3Evidence#NONE} where nothing reverts)
   * @throws IllegalArgumentException when the config lacks the Cloudinary account or the bucket
   */
  public static ProxyRuntime start(
      DocShiftConfig config,
      Ledger ledger,
      TrafficStateSource traffic,
      MetricsRecorder metrics,
      S3Evidence evidence) {
    requireNonNull(config, "config");
    requireNonNull(ledger, "ledger");
    requireNonNull(traffic, "traffic");
    requireNonNull(metrics, "metrics");
    requireNonNull(evidence, "evidence");
    return new ProxyRuntime(config, ledger, traffic, metrics, evidence);
  }

  /** Cloudinary's API for the write path: uploads, destroys, deletes and renames. */
  private static CloudinaryApi cloudinaryApi(CloudinaryAccount account, CloudinaryConfig config) {
    return new CloudinaryApi(
        account.apiUrl(),
        Duration.ofMillis(config.connectTimeoutMillis()),
        Duration.ofMillis(config.requestTimeoutMillis()),
        Duration.ofMillis(config.apiTotalTimeoutMillis()),
        account.trust());
  }

  /** The port the proxy listens on. */
  public int port() {
    return server.port();
  }

  /** The event loops the proxy and its S3 client run on, for metrics (pending tasks). */
  public EventLoopGroup eventLoopGroup() {
    return threads.loops();
  }

  /** The client of Cloudinary's delivery host the proxy serves from (connection counts). */
  UpstreamClient delivery() {
    return read.delivery();
  }

  /** This run's upload spool directory (one call directory per Upload API request in flight). */
  Path spoolDirectory() {
    return spool.path();
  }

  /**
   * The turns the write path's client operations take per document; a repair worker in this process
   * takes them too, so it never acts on a row a client operation is changing.
   */
  public DocumentTurns documentTurns() {
    return writes.turns();
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
      try {
        read.close();
        apiRelay.close();
        api.close();
        spool.close();
      } finally {
        threads.close();
      }
    }
  }
}
