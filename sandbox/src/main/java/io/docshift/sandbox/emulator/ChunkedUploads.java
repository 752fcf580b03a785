package io.docshift.sandbox.emulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Collects the chunks of {@code upload_large} sessions on disk ({@code chunks/{upload id}/{start}})
 * and assembles them, in offset order, into one staged file once every byte up to the known total
 * has arrived. Resending a chunk replaces the earlier copy, so retries are idempotent. The total
 * may be stated by any chunk ({@code -1}/{@code *} until the last one, as streaming SDKs do).
 */
final class ChunkedUploads {
  private static final Pattern UPLOAD_ID = Pattern.compile("[A-Za-z0-9_.-]{1,128}");

  private final Path chunksDir;
  private final Path stagingDir;

  /** Total size per session, -1 until a chunk states it. */
  private final Map<String, Long> totals = new HashMap<>();

  ChunkedUploads(Path chunksDir, Path stagingDir) {
    this.chunksDir = chunksDir;
    this.stagingDir = stagingDir;
  }

  /**
   * Result of accepting a chunk.
   *
   * @param received bytes held so far
   * @param assembled the whole file once complete, else {@code null}
   */
  record Outcome(long received, StagedFile assembled) {}

  /** Stores a chunk (moving {@code part}) and assembles the file when it is complete. */
  synchronized Outcome accept(String uploadId, ChunkHeader range, StagedFile part)
      throws IOException {
    if (!UPLOAD_ID.matcher(uploadId).matches() || uploadId.startsWith(".")) {
      throw ApiException.badRequest("Invalid X-Unique-Upload-Id " + uploadId);
    }
    if (part.bytes() != range.length()) {
      Files.deleteIfExists(part.path());
      throw ApiException.badRequest(
          "Chunk size " + part.bytes() + " does not match Content-Range length " + range.length());
    }
    Path session = Files.createDirectories(chunksDir.resolve(uploadId));
    Files.move(
        part.path(),
        session.resolve(Long.toString(range.start())),
        StandardCopyOption.REPLACE_EXISTING);
    long total = totals.merge(uploadId, range.total(), (old, latest) -> latest >= 0 ? latest : old);
    TreeMap<Long, Path> parts = parts(session);
    long contiguous = contiguousBytes(parts);
    if (total < 0 || contiguous < total) {
      return new Outcome(contiguous, null);
    }
    StagedFile assembled = assemble(parts);
    deleteSession(session);
    totals.remove(uploadId);
    return new Outcome(contiguous, assembled);
  }

  private static TreeMap<Long, Path> parts(Path session) throws IOException {
    TreeMap<Long, Path> parts = new TreeMap<>();
    try (var files = Files.list(session)) {
      files.forEach(p -> parts.put(Long.parseLong(p.getFileName().toString()), p));
    }
    return parts;
  }

  /** Bytes covered without a gap from offset 0. */
  private static long contiguousBytes(TreeMap<Long, Path> parts) throws IOException {
    long next = 0;
    for (Map.Entry<Long, Path> e : parts.entrySet()) {
      if (e.getKey() != next) {
        break;
      }
      next += Files.size(e.getValue());
    }
    return next;
  }

  private StagedFile assemble(TreeMap<Long, Path> parts) throws IOException {
    List<InputStream> streams = new ArrayList<>();
    try {
      for (Path p : parts.values()) {
        streams.add(Files.newInputStream(p));
      }
      try (InputStream all = new SequenceInputStream(Collections.enumeration(streams))) {
        return StagedFile.copy(all, stagingDir);
      }
    } finally {
      for (InputStream s : streams) {
        s.close();
      }
    }
  }

  private static void deleteSession(Path session) {
    try (var files = Files.list(session)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Files.deleteIfExists(p);
      }
      Files.deleteIfExists(session);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
