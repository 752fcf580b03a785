-- DocShift ledger, version 2: the live traffic state, kept in ff4j's JDBC property store
-- (org.ff4j.property.store.JdbcPropertyStore, ff4j-core 1.9). Same columns as ff4j's own
-- schema-ddl.sql, unquoted so ff4j's unquoted queries find them on H2 and PostgreSQL alike;
-- CURRENTVALUE is widened from 255 to 4000 because the auto-revert latch (reason, window and
-- pre-trip settings) is stored as one JSON value. Only the property store is used: features,
-- roles and ff4j's own audit table are not created (audit goes to audit_events).
CREATE TABLE FF4J_PROPERTIES (
  PROPERTY_ID  VARCHAR(100)  NOT NULL,
  CLAZZ        VARCHAR(255)  NOT NULL,
  CURRENTVALUE VARCHAR(4000),
  FIXEDVALUES  VARCHAR(1000),
  DESCRIPTION  VARCHAR(1000),
  PRIMARY KEY (PROPERTY_ID)
);

-- The revision row exists from the start: every writer locks it (SELECT ... FOR UPDATE) before
-- reading and writing the other properties, so changes from several processes never interleave.
-- Revision 0 means "never written": the first process seeds the dials from its traffic.* config.
INSERT INTO FF4J_PROPERTIES (PROPERTY_ID, CLAZZ, CURRENTVALUE, DESCRIPTION)
  VALUES ('docshift.traffic.revision', 'org.ff4j.property.PropertyLong', '0',
          'Bumped by every traffic change; the row writers lock.');
