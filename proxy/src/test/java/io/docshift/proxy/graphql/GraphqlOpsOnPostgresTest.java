package io.docshift.proxy.graphql;

import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Workers, stored history and recent outcomes as {@link GraphqlOpsTest} checks them, on a real
 * PostgreSQL ledger: their grouping, pruning and adding are SQL both databases must run alike.
 */
class GraphqlOpsOnPostgresTest extends GraphqlOpsTest {
  @RegisterExtension static final PostgresLedgers POSTGRES = new PostgresLedgers();

  @Override
  Map<String, String> ledgerSettings() {
    return POSTGRES.freshDatabase();
  }
}
