package io.docshift.proxy.graphql;

import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The queries and mutations of {@link GraphqlApiTest} (one document, folder pages, the naive
 * switch, traffic, audit, mismatches) on a real PostgreSQL ledger, one fresh database per test: the
 * batched row lookup, the page order and the audit are SQL both databases must run alike.
 */
class GraphqlApiOnPostgresTest extends GraphqlApiTest {
  @RegisterExtension static final PostgresLedgers POSTGRES = new PostgresLedgers();

  @Override
  Map<String, String> ledgerSettings() {
    return POSTGRES.freshDatabase();
  }
}
