package io.docshift.ledger;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * A data source over another that counts what the ledger asks of it: the connections borrowed (one
 * per transaction or auto-committed call, i.e. one round trip's worth of work to commit) and the
 * statements their prepared statements execute. For tests that pin down a path's round trips.
 */
final class CountingDataSource {
  /** Connections borrowed so far. */
  final AtomicInteger connections = new AtomicInteger();

  /** Prepared statements executed so far. */
  final AtomicInteger statements = new AtomicInteger();

  private final DataSource source;

  CountingDataSource(DataSource source) {
    this.source = source;
  }

  /** The counting data source, for a {@link Jdbc} under test. */
  DataSource dataSource() {
    return (DataSource)
        Proxy.newProxyInstance(
            CountingDataSource.class.getClassLoader(),
            new Class<?>[] {DataSource.class},
            (proxy, method, args) ->
                method.getName().equals("getConnection")
                    ? connection((Connection) invoke(method, source, args))
                    : invoke(method, source, args));
  }

  private Connection connection(Connection c) {
    connections.incrementAndGet();
    return (Connection)
        Proxy.newProxyInstance(
            CountingDataSource.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            (p, m, a) -> {
              Object result = invoke(m, c, a);
              return result instanceof PreparedStatement ps && !m.getName().equals("unwrap")
                  ? statement(ps)
                  : result;
            });
  }

  private PreparedStatement statement(PreparedStatement ps) {
    return (PreparedStatement)
        Proxy.newProxyInstance(
            CountingDataSource.class.getClassLoader(),
            new Class<?>[] {PreparedStatement.class},
            (p, m, a) -> {
              if (m.getName().startsWith("execute")) {
                statements.incrementAndGet();
              }
              return invoke(m, ps, a);
            });
  }

  private static Object invoke(Method m, Object target, Object[] args) throws Throwable {
    try {
      return m.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
