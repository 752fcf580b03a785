package io.docshift.write;

import io.docshift.core.outcome.Backend;
import io.docshift.core.outcome.Outcome;
import io.docshift.ledger.UploadSessions;
import io.docshift.ledger.UploadSessions.Chunk;
import io.docshift.ledger.UploadSessions.Reservation;
import io.docshift.ledger.UploadSessions.Step;
import io.docshift.stores.s3.S3Temporaries;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Assembles {@code upload_large} chunks in the S3-primary modes when they reach any instance of a
 * fleet, in any order: each chunk's bytes become a temporary S3 object ({@link S3Temporaries}) and
 * its range a ledger row ({@link UploadSessions}), so every instance sees what the others received.
 * The instance whose chunk completes the byte range is told so by the ledger (exactly one is), then
 * streams the temporaries in order into one spool file (disk, never heap) and hands it to the
 * normal write path; once the document is written the temporaries go and the session keeps the
 * final answer, so a resent chunk is answered the same way and written nothing twice.
 *
 * <p>Why S3 and the ledger rather than one instance's disk: a round-robin balancer sends chunks to
 * every instance, S3 is the store every S3-primary instance already needs, and the ledger is the
 * one place that can serialise two instances' decisions. {@code UploadPartCopy} is not used: the
 * protocol allows small chunks, and S3 needs 5 MiB parts; streaming through the spool file works
 * for any chunk size and the write path needs the file anyway (checksums before the put).
 *
 * <p>Refused with 400, recording nothing: a chunk whose length differs from its {@code
 * Content-Range}, one overlapping another received chunk, other bytes for a received range, and a
 * total that changes. An identical resend (same range and bytes) is the protocol's resume and is
 * accepted again. Sessions untouched for {@link ChunkSweep#SESSION_TTL} are dropped with their
 * temporaries ({@link ChunkSweep}, run at most once a minute as chunks arrive, and by the repair
 * worker).
 */
final class SharedChunks {
  /** How long an assembler's claim stands before a resend of the last chunk may take it over. */
  static final Duration ASSEMBLY_LEASE = Duration.ofMinutes(5);

  /**
   * How long a chunk that arrives while another request assembles the upload waits for that
   * request's outcome (the client's resend of the last chunk after a timeout): an SDK reports a 409
   * as a failed upload, so it gets the holder's answer instead, or the assembly claim when the
   * holder gives up. Within common SDK read timeouts; past it, 409 as before.
   */
  static final Duration ASSEMBLY_WAIT = Duration.ofSeconds(30);

  /** How often a waiting chunk asks the ledger again. */
  private static final long ASSEMBLY_POLL_MILLIS = 100;

  private static final Duration SWEEP_EVERY = Duration.ofMinutes(1);
  private static final Logger LOG = LoggerFactory.getLogger(SharedChunks.class);

  private final UploadSessions sessions;
  private final S3Temporaries temporaries;
  private final Clock clock;
  private final ChunkSweep sweep;
  private final AtomicReference<Instant> lastSweep = new AtomicReference<>(Instant.MIN);

  /**
   * What one chunk led to: the answer to give now (a stored final answer), the assembled file to
   * write, or neither (more chunks are due).
   */
  record Received(ApiAnswer answer, FileRegion assembled, String mediaType) {
    boolean pending() {
      return answer == null && assembled == null;
    }
  }

  SharedChunks(UploadSessions sessions, S3Temporaries temporaries, Clock clock) {
    this.sessions = sessions;
    this.temporaries = temporaries;
    this.clock = clock;
    this.sweep = new ChunkSweep(sessions, temporaries);
  }

  /**
   * Records the chunk {@code call} carries (blocking); assembles into the call's directory when it
   * completes the upload.
   */
  Received accept(UploadCall call, SpooledForm form, ChunkRange range) {
    try {
      Path callDir = call.body().getParent();
      UploadSource source = UploadSource.of(form, callDir);
      if (source.isRemote()) {
        throw new BadUpload(400, "Remote URL uploads cannot be chunked");
      }
      return accept(range, source.bytes(), callDir, source.mediaType());
    } catch (IOException e) {
      throw new UncheckedIOException("spooled chunk unreadable", e);
    }
  }

  /** Records one chunk's bytes (blocking); assembles into {@code callDir} when complete. */
  Received accept(ChunkRange range, FileRegion chunk, Path callDir, String mediaType)
      throws IOException {
    range.requireLength(chunk.length());
    sweepIfDue();
    String id = range.uploadId();
    String sha256 = chunk.digests().sha256();
    Reservation r = reserveOrAwaitAssembler(range, sha256);
    if (r.step() == Step.STORE) {
      store(range, chunk, sha256);
    } else if (r.step() != Step.ALREADY_STORED) { // an identical resend may still complete it
      return settled(id, r);
    }
    Optional<List<Chunk>> complete = sessions.stored(id, range.start(), ASSEMBLY_LEASE);
    if (complete.isEmpty() && range.total() >= 0 && range.end() == range.total() - 1) {
      // The last chunk found the upload complete but claimed (a resend racing the original, or
      // an incomplete upload): the holder's outcome, not done:false, answers a resend.
      Reservation again = reserveOrAwaitAssembler(range, sha256);
      if (again.step() != Step.ALREADY_STORED) {
        return settled(id, again);
      }
      complete = sessions.stored(id, range.start(), ASSEMBLY_LEASE);
    }
    if (complete.isEmpty()) {
      return new Received(null, null, null);
    }
    return new Received(null, assemble(id, complete.get(), callDir), mediaType);
  }

  /** A reservation that ends the chunk's request: refused, still assembled elsewhere, or done. */
  private static Received settled(String id, Reservation r) {
    return switch (r.step()) {
      case DONE -> new Received(answer(r.detail()), null, null);
      case ASSEMBLING ->
          throw new BadUpload(
              409, "Upload " + id + " is being assembled by another request; retry shortly");
      case REFUSED -> throw new BadUpload(400, r.detail());
      case STORE, ALREADY_STORED -> new Received(null, null, null);
    };
  }

  /**
   * Reserves the chunk; while another request holds the assembly claim, asks again every {@value
   * #ASSEMBLY_POLL_MILLIS} ms for up to {@link #ASSEMBLY_WAIT} (blocking this upload thread): the
   * holder's success turns into {@code DONE} with its answer, its failure (claim released) into
   * this chunk's own turn to assemble. Still {@code ASSEMBLING} only when the wait ran out.
   */
  private Reservation reserveOrAwaitAssembler(ChunkRange range, String sha256) {
    Instant giveUp = clock.instant().plus(ASSEMBLY_WAIT);
    while (true) {
      Reservation r =
          sessions.reserve(
              range.uploadId(), range.start(), range.end(), range.total(), sha256, ASSEMBLY_LEASE);
      if (r.step() != Step.ASSEMBLING || !clock.instant().isBefore(giveUp)) {
        return r;
      }
      try {
        Thread.sleep(ASSEMBLY_POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return r;
      }
    }
  }

  /** The answer to a chunk that did not complete its upload: {@code done:false}. */
  static ApiAnswer pending(ChunkRange chunk, SpooledForm form) {
    Map<String, Object> pending = new LinkedHashMap<>();
    pending.put("done", false);
    pending.put("upload_id", chunk.uploadId());
    Optional.ofNullable(form.param("public_id")).ifPresent(id -> pending.put("public_id", id));
    return ApiAnswer.json(200, pending, Optional.of(Backend.S3), Outcome.SUCCESS);
  }

  /** The assembled upload was answered: keep a success for resends, drop the temporaries. */
  void answered(String uploadId, ApiAnswer answer) {
    if (answer == null || answer.status() != 200) {
      sessions.release(uploadId);
      return;
    }
    sessions.finish(uploadId, new String(answer.body(), StandardCharsets.UTF_8));
    try {
      temporaries.deleteAll(uploadId).join();
    } catch (RuntimeException e) {
      // The session row stays (done) until it expires; the sweep deletes what is left then.
      LOG.warn("temporaries of upload {} not deleted yet: {}", uploadId, e.toString());
    }
  }

  private void sweepIfDue() {
    Instant now = clock.instant();
    Instant last = lastSweep.get();
    if (now.isBefore(last.plus(SWEEP_EVERY)) || !lastSweep.compareAndSet(last, now)) {
      return;
    }
    try {
      sweep.run();
    } catch (RuntimeException e) {
      LOG.warn("expired uploads not swept: {}", e.toString());
    }
  }

  private void store(ChunkRange range, FileRegion chunk, String sha256) {
    String key = temporaries.key(range.uploadId(), range.start(), range.end());
    try {
      temporaries.put(key, chunk.length(), chunk.publisher(), sha256).join();
    } catch (RuntimeException e) {
      sessions.unreserve(range.uploadId(), range.start());
      throw e;
    }
  }

  private FileRegion assemble(String id, List<Chunk> chunks, Path callDir) throws IOException {
    Path file = callDir.resolve("assembled.bin");
    long length = 0;
    try (OutputStream out = Files.newOutputStream(file)) {
      for (Chunk c : chunks) {
        long copied = temporaries.copyTo(temporaries.key(id, c.start(), c.end()), out);
        if (copied != c.end() - c.start() + 1) {
          throw new IOException(
              "temporary " + c + " of upload " + id + " has " + copied + " bytes");
        }
        length += copied;
      }
    } catch (IOException | RuntimeException e) {
      sessions.release(id);
      throw e;
    }
    return FileRegion.whole(file, length);
  }

  private static ApiAnswer answer(String json) {
    try {
      return ApiAnswer.json(
          200, ApiAnswer.JSON.readTree(json), Optional.of(Backend.S3), Outcome.SUCCESS);
    } catch (IOException e) {
      throw new IllegalStateException("stored upload answer is not JSON", e);
    }
  }
}
