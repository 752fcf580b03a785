package io.docshift.proxy.graphql;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The same mutations, trails and progress as {@link GraphqlDocumentActionsTest} on a real
 * PostgreSQL ledger (embedded binaries from Maven Central), one fresh database per test: the
 * batched reads and the folder grouping are SQL both databases must run alike.
 */
class GraphqlOnPostgresTest extends GraphqlDocumentActionsTest {
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static EmbeddedPostgres postgres;

  @BeforeAll
  static void startPostgres() throws IOException {
    postgres = EmbeddedPostgres.start();
  }

  @AfterAll
  static void stopPostgres() throws IOException {
    postgres.close();
  }

  @Override
  Map<String, String> ledgerSettings() {
    String name = "graphql_" + DATABASES.incrementAndGet();
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement statement = c.createStatement()) {
      statement.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create test database " + name, e);
    }
    return Map.of("ledger.url", postgres.getJdbcUrl("postgres", name), "ledger.user", "postgres");
  }
}
