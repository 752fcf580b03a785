package io.docshift.write;

import static java.util.Objects.requireNonNull;

import io.docshift.ledger.UploadSessions;
import io.docshift.stores.s3.S3Temporaries;
import java.time.Duration;

/**
 * Drops chunked uploads nobody touched for {@link #SESSION_TTL} (abandoned by their client, or
 * finished and kept only to answer resends): their S3 temporaries first, then their ledger rows, so
 * a crash in between leaves a row the next sweep finds again. Runs as chunks arrive ({@link
 * SharedChunks}) and with every repair drain, so temporaries go even when no upload follows.
 */
public final class ChunkSweep {
  /** How long an untouched upload session lives (Cloudinary forgets them too). */
  public static final Duration SESSION_TTL = Duration.ofHours(1);

  private final UploadSessions sessions;
  private final S3Temporaries temporaries;

  /** A sweep of {@code sessions} and the temporaries they name. */
  public ChunkSweep(UploadSessions sessions, S3Temporaries temporaries) {
    this.sessions = requireNonNull(sessions, "sessions");
    this.temporaries = requireNonNull(temporaries, "temporaries");
  }

  /**
   * Drops every expired session (blocking).
   *
   * @return how many sessions were dropped
   */
  public int run() {
    int dropped = 0;
    for (String id : sessions.idle(SESSION_TTL)) {
      temporaries.deleteAll(id).join();
      sessions.forget(id);
      dropped++;
    }
    return dropped;
  }
}
