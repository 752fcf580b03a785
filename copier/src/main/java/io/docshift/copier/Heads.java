package io.docshift.copier;

import io.docshift.core.key.DocumentKey;
import io.docshift.core.outcome.Outcome;
import io.docshift.core.store.DocumentMeta;
import io.docshift.core.store.DocumentStore;
import io.docshift.core.store.StoreException;
import io.docshift.core.store.StoreWaits;
import java.time.Duration;
import java.util.Optional;

/** HEAD on a store where "not there" is an answer, not a failure. */
public final class Heads {
  private Heads() {}

  public static Optional<DocumentMeta> find(DocumentStore store, DocumentKey key, Duration timeout)
      throws InterruptedException {
    try {
      return Optional.of(StoreWaits.await(store.head(key), timeout, store.backend(), key));
    } catch (StoreException e) {
      if (e.outcome() == Outcome.NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
  }
}
