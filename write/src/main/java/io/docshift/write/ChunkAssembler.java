package io.docshift.write;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Puts {@code upload_large} chunks back together on disk, so S3 can get the whole file: each chunk
 * is written at its offset into one file per {@code X-Unique-Upload-Id}, and the file is complete
 * once the last chunk has arrived and the chunks cover every byte. Resent chunks simply overwrite.
 * Sessions untouched for {@link #SESSION_TTL} are dropped (Cloudinary forgets them too). State is
 * per process, and used only while Cloudinary is the primary: Cloudinary assembles the upload, and
 * this copy merely spares reading it back when every chunk came to this instance (chunks spread
 * over several proxies are read back). The S3-primary modes assemble across the fleet ({@link
 * SharedChunks}).
 */
final class ChunkAssembler {
  static final Duration SESSION_TTL = ChunkSweep.SESSION_TTL;

  private final Path dir;
  private final Clock clock;
  private final Map<String, Session> sessions = new HashMap<>();

  private static final class Session {
    final TreeMap<Long, Long> ranges = new TreeMap<>();
    long total = -1;
    Instant touched;
  }

  ChunkAssembler(Path dir, Clock clock) {
    this.dir = dir;
    this.clock = clock;
  }

  /**
   * Stores one chunk.
   *
   * @return the assembled file (the caller owns and deletes it) once every byte is there
   */
  synchronized Optional<FileRegion> accept(ChunkRange range, FileRegion chunk) throws IOException {
    range.requireLength(chunk.length());
    expire();
    Path file = dir.resolve(range.uploadId() + ".chunks");
    try (FileChannel out =
        FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      chunk.copyTo(out, range.start());
    }
    Session session = sessions.computeIfAbsent(range.uploadId(), id -> new Session());
    session.touched = clock.instant();
    session.ranges.merge(range.start(), range.end(), Math::max);
    if (range.total() >= 0) {
      session.total = range.total();
    }
    if (session.total < 0 || contiguous(session) < session.total) {
      return Optional.empty();
    }
    sessions.remove(range.uploadId());
    Path assembled = Files.move(file, dir.resolve(range.uploadId() + ".assembled"));
    return Optional.of(FileRegion.whole(assembled, session.total));
  }

  private static long contiguous(Session session) {
    long covered = 0;
    for (Map.Entry<Long, Long> r : session.ranges.entrySet()) {
      if (r.getKey() > covered) {
        break;
      }
      covered = Math.max(covered, r.getValue() + 1);
    }
    return covered;
  }

  private void expire() throws IOException {
    Instant cutoff = clock.instant().minus(SESSION_TTL);
    for (Iterator<Map.Entry<String, Session>> it = sessions.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Session> e = it.next();
      if (e.getValue().touched.isBefore(cutoff)) {
        Files.deleteIfExists(dir.resolve(e.getKey() + ".chunks"));
        it.remove();
      }
    }
  }
}
