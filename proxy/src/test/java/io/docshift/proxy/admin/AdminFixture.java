package io.docshift.proxy.admin;

import io.docshift.core.config.AutoRevertSettings;
import io.docshift.core.config.WriteMode;
import io.docshift.ledger.AuditEvent;
import io.docshift.ledger.Ledger;
import io.docshift.ledger.LedgerSettings;
import io.docshift.proxy.graphql.GraphqlEndpoint;
import io.docshift.testkit.MutableClock;
import io.docshift.traffic.TrafficState;
import io.docshift.traffic.control.TrafficControl;
import io.docshift.traffic.control.TrafficControlState;
import io.docshift.traffic.ff4j.Ff4jTrafficStore;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;

/** A real H2 ledger, ff4j store and traffic control per test; background work runs inline. */
abstract class AdminFixture {
  static final String TOKEN = "s3cret-token";
  static final TrafficState INITIAL = new TrafficState(10, WriteMode.DUAL_CLOUDINARY_PRIMARY, 5);

  final Ledger ledger =
      Ledger.open(LedgerSettings.builder("jdbc:h2:mem:admin-" + UUID.randomUUID()).build());
  final TrafficControl control =
      TrafficControl.builder(
              Ff4jTrafficStore.open(
                  ledger.dataSource(),
                  TrafficControlState.initial(
                      INITIAL,
                      new AutoRevertSettings(
                          true, false, Duration.ofSeconds(10), 50, 100, Duration.ZERO, 3))),
              ledger.audit())
          .executor(Runnable::run)
          .build();

  @AfterEach
  final void closeLedger() {
    ledger.close();
  }

  AdminRoutes routes() {
    return new AdminRoutes(control, ledger, () -> "# HELP docshift_up 1\ndocshift_up 1\n", null);
  }

  /**
   * An admin handler as the server composes it, answering inline, with these operators' tokens,
   * refusal counts and console clock; {@code graphql} may be null.
   */
  AdminHandler handler(
      Map<String, String> tokens, Refusals refusals, LongSupplier nanos, GraphqlEndpoint graphql) {
    BearerAuth auth = new BearerAuth(tokens);
    return new AdminHandler(
        auth,
        refusals,
        ledger.audit(),
        routes(),
        new Probes(ledger.dataSource(), () -> true),
        ImmediateEventExecutor.INSTANCE,
        console(auth, refusals, nanos, graphql));
  }

  private Console console(
      BearerAuth auth, Refusals refusals, LongSupplier nanos, GraphqlEndpoint graphql) {
    return new Console(
        auth,
        new ConsoleSessions(
            ledger.consoleSessions(),
            AdminServer.SESSION_IDLE,
            AdminServer.SESSION_LIFETIME,
            AdminServer.MAX_SESSIONS,
            MutableClock.following(Instant.parse("2026-01-01T00:00:00Z"), nanos)),
        new ConsoleAssets(),
        graphql,
        refusals,
        ledger.audit(),
        false);
  }

  List<AuditEvent> audit() {
    return ledger.audit().latest(100);
  }

  void trip() {
    for (int i = 0; i < 3; i++) {
      control.guard().recordS3(true, Duration.ofMillis(1));
    }
  }
}
