package io.docshift.ledger;

/**
 * The ledger database failed: it is unreachable, a statement failed, or a migration could not be
 * applied. The cause carries the driver's exception. Callers treat it as a local failure: the
 * ledger write did not happen and must not be acknowledged to a client.
 */
public final class LedgerException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  LedgerException(String message, Throwable cause) {
    super(message, cause);
  }
}
