package io.docshift.proxy.admin;

import static java.util.Objects.requireNonNull;

import io.docshift.core.config.AdminConfig;
import io.docshift.ledger.Ledger;
import io.docshift.proxy.ListenerTls;
import io.docshift.proxy.graphql.GraphqlEndpoint;
import io.docshift.traffic.control.TrafficControl;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What an {@link AdminServer} serves and where: immutable, built with {@link #builder}, which
 * checks each value as it is set. The traffic control and the ledger are required; everything else
 * has a default fit for a test or a tool: {@code 127.0.0.1} on a free port, no operator tokens (so
 * every request needing one is refused), an empty {@code /metrics}, no GraphQL endpoint ({@code
 * /graphql} answers 404), a proxy listener that always accepts (for {@code /readyz}: with no proxy
 * of its own to report on, readiness checks the ledger and the traffic state only), plain HTTP, and
 * no request meters.
 */
public final class AdminSettings {
  private final String host;
  private final int port;
  private final Map<String, String> tokensByOwner;
  private final TrafficControl control;
  private final Ledger ledger;
  private final Supplier<String> metrics;
  private final GraphqlEndpoint graphql;
  private final BooleanSupplier listenerAccepting;
  private final Optional<ListenerTls> tls;
  private final MeterRegistry registry;

  private AdminSettings(Builder b) {
    this.host = b.host;
    this.port = b.port;
    this.tokensByOwner = b.tokensByOwner;
    this.control = b.control;
    this.ledger = b.ledger;
    this.metrics = b.metrics;
    this.graphql = b.graphql;
    this.listenerAccepting = b.listenerAccepting;
    this.tls = b.tls;
    this.registry = b.registry;
  }

  /**
   * A builder for an admin API over {@code control} and {@code ledger}, with the defaults above.
   */
  public static Builder builder(TrafficControl control, Ledger ledger) {
    return new Builder(control, ledger);
  }

  String host() {
    return host;
  }

  int port() {
    return port;
  }

  Map<String, String> tokensByOwner() {
    return tokensByOwner;
  }

  TrafficControl control() {
    return control;
  }

  Ledger ledger() {
    return ledger;
  }

  Supplier<String> metrics() {
    return metrics;
  }

  /** Null when {@code /graphql} answers 404. */
  GraphqlEndpoint graphql() {
    return graphql;
  }

  BooleanSupplier listenerAccepting() {
    return listenerAccepting;
  }

  Optional<ListenerTls> tls() {
    return tls;
  }

  /** Null when requests are not metered. */
  MeterRegistry registry() {
    return registry;
  }

  /** Collects settings; {@link #build()} may be called more than once. */
  public static final class Builder {
    private final TrafficControl control;
    private final Ledger ledger;
    private String host = "127.0.0.1";
    private int port;
    private Map<String, String> tokensByOwner = Map.of();
    private Supplier<String> metrics = () -> "";
    private GraphqlEndpoint graphql;
    private BooleanSupplier listenerAccepting = () -> true;
    private Optional<ListenerTls> tls = Optional.empty();
    private MeterRegistry registry;

    private Builder(TrafficControl control, Ledger ledger) {
      this.control = requireNonNull(control, "control");
      this.ledger = requireNonNull(ledger, "ledger");
    }

    /**
     * The address to bind; port 0 picks a free one.
     *
     * @throws IllegalArgumentException if {@code host} is blank or {@code port} is not 0 to 65535
     */
    public Builder listen(String host, int port) {
      requireNonNull(host, "host");
      if (host.isBlank()) {
        throw new IllegalArgumentException("host: blank (expected: a host name or address)");
      }
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("port: " + port + " (expected: 0 to 65535)");
      }
      this.host = host;
      this.port = port;
      return this;
    }

    /** Each operator's name and bearer token; none refuses every request that needs one. */
    public Builder tokensByOwner(Map<String, String> tokensByOwner) {
      this.tokensByOwner = Map.copyOf(requireNonNull(tokensByOwner, "tokensByOwner"));
      return this;
    }

    /**
     * One shared token, owned by {@value AdminConfig#SHARED_OWNER}; empty refuses every request
     * that needs one.
     */
    public Builder token(String token) {
      requireNonNull(token, "token");
      return tokensByOwner(token.isEmpty() ? Map.of() : Map.of(AdminConfig.SHARED_OWNER, token));
    }

    /** Prometheus text for {@code GET /metrics}, called per scrape. */
    public Builder metrics(Supplier<String> metrics) {
      this.metrics = requireNonNull(metrics, "metrics");
      return this;
    }

    /** Answers {@code GET|POST /graphql}; stays the caller's to close. */
    public Builder graphql(GraphqlEndpoint graphql) {
      this.graphql = requireNonNull(graphql, "graphql");
      return this;
    }

    /** Whether the proxy listener accepts connections, for {@code /readyz}. */
    public Builder listenerAccepting(BooleanSupplier listenerAccepting) {
      this.listenerAccepting = requireNonNull(listenerAccepting, "listenerAccepting");
      return this;
    }

    /** Serve over TLS when present (the console's cookie is then {@code Secure}). */
    public Builder tls(Optional<ListenerTls> tls) {
      this.tls = requireNonNull(tls, "tls");
      return this;
    }

    /**
     * Count and time every request in {@code registry} ({@code docshift.admin.requests} by route
     * family and status class).
     */
    public Builder registry(MeterRegistry registry) {
      this.registry = requireNonNull(registry, "registry");
      return this;
    }

    /** The settings. */
    public AdminSettings build() {
      return new AdminSettings(this);
    }
  }
}
