package io.docshift.proxy;

import io.docshift.core.config.DocShiftConfig;
import io.docshift.core.metrics.MetricsRecorder;
import io.docshift.core.store.DocumentStore;
import io.docshift.ledger.Ledger;
import io.docshift.proxy.copyonread.CopyOnRead;
import io.docshift.read.CloudinaryReadListener;

/**
 * Copy on read as one serving instance runs it ({@code read.copyOnRead.*}): a {@link CopyOnRead}
 * over the read path's Cloudinary and S3 stores, with a spool directory of its own; nothing at all
 * when turned off. Closed before the stores it copies with.
 */
final class ReadCopies implements AutoCloseable {
  private static final ReadCopies OFF = new ReadCopies(null, null);

  private final SpoolDirectory spool;
  private final CopyOnRead copies;

  private ReadCopies(SpoolDirectory spool, CopyOnRead copies) {
    this.spool = spool;
    this.copies = copies;
  }

  static ReadCopies open(
      DocShiftConfig config,
      Ledger ledger,
      DocumentStore cloudinary,
      DocumentStore s3,
      MetricsRecorder metrics) {
    if (!config.copyOnRead().enabled()) {
      return OFF;
    }
    SpoolDirectory spool = SpoolDirectory.open(config.proxy().spoolDir());
    return new ReadCopies(
        spool,
        CopyOnRead.start(
            config.copyOnRead(), ledger.documents(), cloudinary, s3, spool.path(), metrics));
  }

  /** What the read path tells of whole originals Cloudinary served. */
  CloudinaryReadListener listener() {
    return copies == null ? CloudinaryReadListener.NONE : copies;
  }

  @Override
  public void close() {
    if (copies != null) {
      try {
        copies.close();
      } finally {
        spool.close();
      }
    }
  }
}
