package io.docshift.app.node;

import static java.util.Objects.requireNonNull;

import io.docshift.app.repair.RepairRuntime;
import io.docshift.app.telemetry.Telemetry;
import io.docshift.core.config.DocShiftConfig;
import io.docshift.core.config.ShutdownConfig;
import io.docshift.core.metrics.MicrometerMetricsRecorder;
import io.docshift.core.metrics.MicrometerRuntimeMetrics;
import io.docshift.ledger.Ledger;
import io.docshift.ledger.MicrometerLedgerMetrics;
import io.docshift.proxy.ListenerTls;
import io.docshift.proxy.ProxyRuntime;
import io.docshift.proxy.admin.AdminServer;
import io.docshift.proxy.admin.AdminSettings;
import io.docshift.proxy.graphql.GraphqlEndpoint;
import io.docshift.proxy.graphql.GraphqlEndpoints;
import io.docshift.proxy.graphql.OutcomeFeed;
import io.docshift.traffic.TrafficState;
import io.docshift.traffic.control.MicrometerRevertMetrics;
import io.docshift.traffic.control.TrafficControl;
import io.docshift.traffic.control.TrafficControlState;
import io.docshift.traffic.ff4j.Ff4jTrafficStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * One DocShift instance, composed in one place for {@code docshift serve} and the sandbox: its
 * metrics ({@link Telemetry}: Prometheus, Datadog when configured, ledger and runtime gauges), the
 * shared traffic state (ff4j on the ledger database, cached, polled), the proxy ({@link
 * ProxyRuntime}: reads, uploads, the API pass-through) fed by it and feeding its S3 evidence to the
 * auto-revert guard (requests S3 answered, fallbacks, mid-body failovers), the repair worker
 * draining the outbox (when {@code repair.enabled}), and the admin API with {@code GET /metrics}.
 * The ledger is the caller's and stays open.
 */
public final class ProxyNode implements AutoCloseable {
  private final StartedParts parts = new StartedParts();
  private Telemetry telemetry;
  private TrafficControl traffic;
  private ProxyRuntime proxy;
  private AdminServer admin;
  private ShutdownConfig shutdown;
  private volatile boolean draining;

  private ProxyNode() {}

  private void startParts(DocShiftConfig config, Ledger ledger) {
    shutdown = config.shutdown();
    // Started first, so closed last: Datadog's final post sees every other part's last counts.
    telemetry = started(Telemetry.start(config));
    MeterRegistry registry = telemetry.registry();
    started(
        MicrometerLedgerMetrics.start(
            registry, ledger, Duration.ofMillis(config.metrics().ledgerPollMillis())));
    traffic =
        started(
            TrafficControl.builder(trafficStore(config, ledger), ledger.audit())
                .metrics(new MicrometerRevertMetrics(registry))
                .build()
                .startPolling());
    MicrometerRevertMetrics.bindGauges(registry, traffic);
    MicrometerMetricsRecorder recorder = new MicrometerMetricsRecorder(registry);
    // Fallbacks and shadow outcomes also go to the ledger, for the console's fleet-wide view.
    OutcomeFeed feed = started(OutcomeFeed.start(recorder, ledger));
    proxy = started(ProxyRuntime.start(config, ledger, traffic, feed, traffic.guard()));
    if (config.repair().enabled()) {
      // No S3 evidence: background repairs report their own outcomes and never trip auto-revert.
      // They take the client operations' per-document turns (closed first, so no repair waits on
      // a write path that is gone).
      started(RepairRuntime.open(config, ledger, recorder, proxy.documentTurns()).start());
    }
    MicrometerRuntimeMetrics.bindEventLoops(registry, "proxy", proxy.eventLoopGroup());
    GraphqlEndpoint graphql = started(GraphqlEndpoints.open(config, ledger, traffic));
    admin =
        started(
            AdminServer.start(
                AdminSettings.builder(traffic, ledger)
                    .listen(config.admin().host(), config.admin().port())
                    .tokensByOwner(config.admin().tokensByOwner())
                    .metrics(telemetry::scrape)
                    .graphql(graphql)
                    .listenerAccepting(() -> !draining && proxy.server().accepting())
                    .tls(ListenerTls.of(config.adminTls()))
                    .registry(registry)
                    .build()));
  }

  /**
   * Starts the instance on {@code proxy.*} and {@code admin.*}. The traffic state is seeded from
   * {@code traffic.*} only when the shared store was never written; afterwards it is the store's.
   *
   * @throws IllegalArgumentException when neither {@code admin.token} nor {@code
   *     admin.operatorTokens} is set (the admin API changes where every read goes; it never runs
   *     without a token)
   */
  public static ProxyNode start(DocShiftConfig config, Ledger ledger) {
    requireNonNull(config, "config");
    requireNonNull(ledger, "ledger");
    if (!config.admin().hasTokens()) {
      throw new IllegalArgumentException("admin.token: <empty> (expected: a secret, to serve)");
    }
    ProxyNode node = new ProxyNode();
    try {
      node.startParts(config, ledger);
      return node;
    } catch (RuntimeException e) {
      node.close(); // a failed start leaves no port bound and no poller running
      throw e;
    }
  }

  /**
   * The shared traffic state in the ledger database; seeded from {@code traffic.*} and {@code
   * autoRevert.*} only when no instance has written it yet.
   */
  public static Ff4jTrafficStore trafficStore(DocShiftConfig config, Ledger ledger) {
    TrafficControlState initial =
        TrafficControlState.initial(TrafficState.of(config.traffic()), config.autoRevert());
    return Ff4jTrafficStore.open(ledger.dataSource(), initial);
  }

  private <T extends AutoCloseable> T started(T part) {
    return parts.add(part);
  }

  public int proxyPort() {
    return proxy.port();
  }

  public int adminPort() {
    return admin.port();
  }

  public TrafficControl traffic() {
    return traffic;
  }

  /** Whether this instance posts metrics to Datadog. */
  public boolean datadogEnabled() {
    return telemetry.datadogEnabled();
  }

  /** The Prometheus text of this instance's meters (what {@code GET /metrics} serves). */
  public String scrape() {
    return telemetry.scrape();
  }

  /**
   * The graceful stop before {@link #close()}: {@code /readyz} answers 503 from now on, the proxy
   * stops accepting after {@code shutdown.readinessDelayMillis} and its requests in flight get
   * {@code shutdown.drainTimeoutMillis} to finish; {@code hurry} completing cuts the waits short.
   *
   * @return true when every connection finished in time
   */
  public boolean drain(CompletableFuture<Void> hurry) throws InterruptedException {
    requireNonNull(hurry, "hurry");
    return Drain.run(shutdown, () -> draining = true, proxy.server(), hurry);
  }

  /**
   * Stops the admin API, the proxy, the traffic poller, the ledger gauges, then the metrics (a last
   * Datadog post); newest first.
   */
  @Override
  public void close() {
    parts.close();
  }
}
