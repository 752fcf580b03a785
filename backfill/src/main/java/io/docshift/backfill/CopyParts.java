package io.docshift.backfill;

import static java.util.Objects.requireNonNull;

import io.docshift.copier.DocumentCopier;
import io.docshift.copier.Retrier;
import io.docshift.copier.Spool;
import io.docshift.core.config.CloudinaryAccount;
import io.docshift.core.store.DocumentStore;
import io.docshift.ledger.Ledger;
import java.time.Duration;

/**
 * What the backfill and the repair worker copy between: the ledger, the Cloudinary account (signed
 * downloads, the Admin API) and both stores. All of them belong to the caller and stay open.
 *
 * @param cloudinary reads originals (and, for repairs, uploads and destroys)
 * @param s3 receives the copies; must honour {@code PutCondition}
 */
record CopyParts(
    Ledger ledger, CloudinaryAccount account, DocumentStore cloudinary, DocumentStore s3) {
  CopyParts {
    requireNonNull(ledger, "ledger");
    requireNonNull(account, "account");
    requireNonNull(cloudinary, "cloudinary");
    requireNonNull(s3, "s3");
  }

  /** The one copier over these parts, with a run's spool, retries and per-document timeout. */
  DocumentCopier copier(Spool spool, Retrier retrier, Duration documentTimeout) {
    return new DocumentCopier(ledger.documents(), cloudinary, s3, spool, retrier, documentTimeout);
  }
}
