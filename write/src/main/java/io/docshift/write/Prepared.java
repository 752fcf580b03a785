package io.docshift.write;

import io.docshift.core.digest.Digests;
import io.docshift.core.key.DocumentKey;
import io.docshift.ledger.RepairTicket;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An upload made ready for the stores (blocking work, on the write executor): its bytes resolved
 * (binary part, decoded data URI, or the assembled {@code upload_large} file once its last chunk
 * arrived; null for a remote URL or an unfinished chunked upload), hashed (as the body was spooled
 * when that pass saw exactly these bytes, else by one read of the spool), and — when the S3 key is
 * known up front — given the repair intent its caller committed for it ({@link #withTicket}).
 *
 * @param bytes the file's bytes, or null
 * @param digests their MD5 and SHA-256, or null
 * @param mediaType the media type to store
 * @param guess the S3 key named before the primary answered, or null
 * @param ticket the repair intent for {@code guess}, or null
 * @param chunk the {@code upload_large} chunk this request carries, or null
 */
record Prepared(
    FileRegion bytes,
    Digests digests,
    String mediaType,
    DocumentKey guess,
    RepairTicket ticket,
    ChunkRange chunk) {

  static Prepared of(WriteContext ctx, UploadCall call, SpooledForm form, DocumentKey guess) {
    return unhashed(ctx, call, form, guess).hashed(form.param("public_id"));
  }

  /**
   * {@link #of} without the digests (null until {@link #hashed}), so that the caller can hash while
   * a store that does not need them (Cloudinary, sent the client's request as it came) takes the
   * bytes.
   */
  static Prepared unhashed(WriteContext ctx, UploadCall call, SpooledForm form, DocumentKey guess) {
    try {
      Path callDir = call.body().getParent();
      UploadSource source = UploadSource.of(form, callDir);
      FileRegion bytes = source.bytes();
      ChunkRange chunk =
          ChunkRange.of(call.header("x-unique-upload-id"), call.header("content-range"));
      if (chunk != null) {
        if (source.isRemote()) {
          throw new BadUpload(400, "Remote URL uploads cannot be chunked");
        }
        bytes = ctx.chunks().accept(chunk, bytes).map(f -> into(f, callDir)).orElse(null);
      }
      if (bytes == null) {
        return new Prepared(null, null, "application/octet-stream", null, null, chunk);
      }
      Prepared ready = ready(bytes, source.mediaType(), guess, chunk);
      // Digested while the body was spooled: the put need not wait for a read of the spool.
      Digests spooled = call.spooledDigests(bytes);
      return spooled == null ? ready : ready.withDigests(spooled);
    } catch (IOException e) {
      throw new UncheckedIOException("spooled upload unreadable", e);
    }
  }

  /** An {@code upload_large} file the fleet assembled ({@link SharedChunks}); no key guessed. */
  static Prepared assembled(FileRegion bytes, String declared, ChunkRange chunk) {
    try {
      return ready(bytes, declared, null, chunk).hashed(null);
    } catch (IOException e) {
      throw new UncheckedIOException("assembled upload unreadable", e);
    }
  }

  private static Prepared ready(
      FileRegion bytes, String declared, DocumentKey guess, ChunkRange chunk) throws IOException {
    String format = guess != null ? guess.format().orElse(null) : Formats.sniff(bytes.head(16));
    return new Prepared(bytes, null, Formats.mediaType(format, declared), guess, null, chunk);
  }

  /** This with the repair intent committed for {@link #guess}. */
  Prepared withTicket(RepairTicket intent) {
    return new Prepared(bytes, digests, mediaType, guess, intent, chunk);
  }

  /** This with the bytes' MD5 and SHA-256 (one read of the spool); itself when there are none. */
  Prepared hashed(String publicId) {
    if (bytes == null || digests != null) {
      return this;
    }
    Digests computed =
        UploadStep.sync(
            "hash",
            publicId,
            () -> {
              try {
                return bytes.digests();
              } catch (IOException e) {
                throw new UncheckedIOException("spooled upload unreadable", e);
              }
            });
    return withDigests(computed);
  }

  private Prepared withDigests(Digests known) {
    return new Prepared(bytes, known, mediaType, guess, ticket, chunk);
  }

  /** Moves an assembled file into the call's directory, which is deleted after the answer. */
  private static FileRegion into(FileRegion assembled, Path callDir) {
    try {
      Path moved = Files.move(assembled.file(), callDir.resolve("assembled.bin"));
      return FileRegion.whole(moved, assembled.length());
    } catch (IOException e) {
      throw new UncheckedIOException("assembled upload could not be moved", e);
    }
  }
}
