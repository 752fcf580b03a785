/**
 * The shared traffic state on ff4j's JDBC property store, in the ledger database. Entry point:
 * {@link io.docshift.traffic.ff4j.Ff4jTrafficStore#open}.
 */
package io.docshift.traffic.ff4j;
