package io.docshift.proxy.graphql;

import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The same mutations, trails and progress as {@link GraphqlDocumentActionsTest} on a real
 * PostgreSQL ledger (embedded binaries from Maven Central), one fresh database per test: the
 * batched reads and the folder grouping are SQL both databases must run alike.
 */
class GraphqlOnPostgresTest extends GraphqlDocumentActionsTest {
  @RegisterExtension static final PostgresLedgers POSTGRES = new PostgresLedgers();

  @Override
  Map<String, String> ledgerSettings() {
    return POSTGRES.freshDatabase();
  }
}
