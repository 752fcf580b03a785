package io.docshift.proxy.graphql;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * An embedded PostgreSQL (binaries from Maven Central) per test class, handing out one fresh
 * database per test as {@link GraphqlFixture} overrides. Register as a static field.
 */
final class PostgresLedgers implements BeforeAllCallback, AfterAllCallback {
  private final AtomicInteger databases = new AtomicInteger();
  private EmbeddedPostgres postgres;

  @Override
  public void beforeAll(ExtensionContext context) {
    try {
      postgres = EmbeddedPostgres.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the embedded PostgreSQL", e);
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    postgres.close();
  }

  /** A new, empty database as {@code ledger.url} and {@code ledger.user}. */
  Map<String, String> freshDatabase() {
    String name = "graphql_" + databases.incrementAndGet();
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement statement = c.createStatement()) {
      statement.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create test database " + name, e);
    }
    return Map.of("ledger.url", postgres.getJdbcUrl("postgres", name), "ledger.user", "postgres");
  }
}
