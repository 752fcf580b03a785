package io.docshift.proxy.graphql;

import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A fresh {@link GraphqlFixture} per test (default cost rules, batching on) over the emulator and
 * S3Proxy shared by the test class, on the fixture's in-memory H2 ledger unless a subclass names
 * another ledger ({@link #ledgerSettings}).
 */
abstract class GraphqlCase {
  @RegisterExtension static final GraphqlServers SHARED = new GraphqlServers();

  GraphqlFixture fx;

  @BeforeEach
  final void startFixture() {
    fx =
        new GraphqlFixture(
            SHARED.emulator(), SHARED.s3().endpoint(), CostRules.DEFAULTS, true, ledgerSettings());
  }

  /** The ledger's configuration keys beyond the fixture's (its in-memory H2 by default). */
  Map<String, String> ledgerSettings() {
    return Map.of();
  }

  @AfterEach
  final void closeFixture() {
    fx.close();
  }
}
