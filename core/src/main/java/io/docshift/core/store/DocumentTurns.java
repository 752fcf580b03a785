package io.docshift.core.store;

/**
 * Takes turns on one document: what holds a document's turn runs after every operation of it that
 * asked before, and before every one that asks after, on this instance. The write path's client
 * operations (uploads, destroys, renames, deletes) take turns so both stores and the ledger keep
 * the order they were acknowledged in; the repair worker takes the same turns, so a repair that
 * read the ledger's row acts on it before a client operation of that document can change it.
 *
 * <p>Turns order operations within one instance only; operations on other instances are ordered by
 * the ledger's guards.
 */
public interface DocumentTurns {
  /** No ordering: every turn is granted at once (a process with no client operations). */
  DocumentTurns NONE = (resourceType, type, publicId) -> () -> {};

  /**
   * Waits until the document's earlier operations on this instance have finished, then holds its
   * turn until the returned {@link Turn} is closed.
   *
   * @param type the delivery type; absent or empty means {@code upload}, as Cloudinary reads it
   * @throws InterruptedException when interrupted while waiting (no turn is then held)
   * @throws IllegalStateException when the turn cannot be taken (the operations' executor stopped)
   */
  Turn await(String resourceType, String type, String publicId) throws InterruptedException;

  /** A held turn; closing it lets the document's next operation start. Idempotent. */
  interface Turn extends AutoCloseable {
    @Override
    void close();
  }
}
