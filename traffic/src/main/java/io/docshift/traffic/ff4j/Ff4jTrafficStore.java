package io.docshift.traffic.ff4j;

import static java.util.Objects.requireNonNull;

import io.docshift.traffic.control.TrafficControlState;
import io.docshift.traffic.control.TrafficStore;
import io.docshift.traffic.control.TrafficUpdate;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;
import org.ff4j.property.Property;
import org.ff4j.property.PropertyLong;
import org.ff4j.property.store.JdbcPropertyStore;

/**
 * The shared traffic state in ff4j's {@link JdbcPropertyStore}, on the ledger database (table
 * {@code FF4J_PROPERTIES}, created by migration V2), so every instance sharing the ledger shares
 * the dials.
 *
 * <p>Reads are one {@code SELECT} of all properties (a consistent snapshot). Each {@link #update}
 * is one transaction: it locks the revision row ({@code SELECT ... FOR UPDATE}, H2 and PostgreSQL
 * alike), reads, applies the change, writes the changed properties through ff4j bound to the same
 * connection, bumps the revision and commits; so concurrent writers on any host are serialized and
 * readers never see half a change. Failures surface as {@link IllegalStateException}.
 */
public final class Ff4jTrafficStore implements TrafficStore {
  private static final String LOCK =
      "SELECT CURRENTVALUE FROM FF4J_PROPERTIES WHERE PROPERTY_ID = ? FOR UPDATE";

  private final DataSource dataSource;
  private final JdbcPropertyStore reader;

  private Ff4jTrafficStore(DataSource dataSource) {
    this.dataSource = dataSource;
    this.reader = new JdbcPropertyStore(dataSource);
  }

  /**
   * Opens the store on {@code dataSource} (the ledger's, already migrated), writing {@code initial}
   * if the store was never written (revision 0); an already written store keeps its state.
   *
   * @throws IllegalStateException if the database cannot be used
   */
  public static Ff4jTrafficStore open(DataSource dataSource, TrafficControlState initial) {
    requireNonNull(dataSource, "dataSource");
    requireNonNull(initial, "initial");
    Ff4jTrafficStore store = new Ff4jTrafficStore(dataSource);
    store.seed(initial);
    return store;
  }

  @Override
  public TrafficControlState read() {
    try {
      return TrafficProperties.decode(reader.readAllProperties());
    } catch (RuntimeException e) {
      throw new IllegalStateException("cannot read the traffic state: " + e.getMessage(), e);
    }
  }

  @Override
  public TrafficUpdate update(UnaryOperator<TrafficControlState> change) {
    requireNonNull(change, "change");
    return inTransaction(
        ff4j -> {
          TrafficControlState before = TrafficProperties.decode(ff4j.readAllProperties());
          TrafficControlState next = change.apply(before);
          if (next.withRevision(before.revision()).equals(before)) {
            return new TrafficUpdate(before, before);
          }
          TrafficControlState after = next.withRevision(before.revision() + 1);
          write(ff4j, TrafficProperties.encode(before), TrafficProperties.encode(after));
          ff4j.updateProperty(TrafficProperties.REVISION, Long.toString(after.revision()));
          return new TrafficUpdate(before, after);
        });
  }

  private void seed(TrafficControlState initial) {
    inTransaction(
        ff4j -> {
          Map<String, Property<?>> stored = ff4j.readAllProperties();
          if (TrafficProperties.revision(stored) > 0) {
            return null;
          }
          for (Property<?> property : TrafficProperties.encode(initial).values()) {
            if (stored.containsKey(property.getName())) {
              ff4j.updateProperty(property);
            } else {
              ff4j.createProperty(property);
            }
          }
          ff4j.updateProperty(new PropertyLong(TrafficProperties.REVISION, 1L));
          return null;
        });
  }

  private static void write(
      JdbcPropertyStore ff4j, Map<String, Property<?>> before, Map<String, Property<?>> after) {
    for (Property<?> property : after.values()) {
      Property<?> old = before.get(property.getName());
      if (!property.asString().equals(old.asString())) {
        ff4j.updateProperty(property.getName(), property.asString());
      }
    }
  }

  private interface Work<T> {
    T run(JdbcPropertyStore ff4j);
  }

  private <T> T inTransaction(Work<T> work) {
    try (Connection c = dataSource.getConnection()) {
      boolean autoCommit = c.getAutoCommit();
      c.setAutoCommit(false);
      try {
        lockRevision(c);
        T result = work.run(new JdbcPropertyStore(new BoundDataSource(c)));
        c.commit();
        return result;
      } catch (RuntimeException | SQLException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(autoCommit);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot update the traffic state: " + e.getMessage(), e);
    }
  }

  private static void lockRevision(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(LOCK)) {
      ps.setString(1, TrafficProperties.REVISION);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new IllegalStateException(
              "traffic property " + TrafficProperties.REVISION + ": missing (migration V2?)");
        }
      }
    }
  }
}
