package io.docshift.write;

import io.docshift.core.digest.BodyHasher;
import io.docshift.core.digest.Digests;
import io.docshift.core.key.DocumentKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.reactivestreams.Publisher;

/**
 * What Cloudinary stored, read back for the secondary S3 write when the client's bytes are not it
 * (a remote URL, or bytes whose MD5 is not Cloudinary's etag): spooled to a temp file and hashed on
 * the way, so it is read once and put from the file.
 */
final class ReadBack {
  private ReadBack() {}

  /** Reads {@code key}'s original back from Cloudinary into a temp file of the spool directory. */
  static CompletableFuture<Source> of(WriteContext ctx, DocumentKey key) {
    Path file;
    try {
      file = Files.createTempFile(ctx.spoolDir(), "readback-", ".bin");
    } catch (IOException e) {
      return CompletableFuture.failedFuture(new UncheckedIOException(e));
    }
    return ctx.cloudinary()
        .get(key, Optional.empty())
        .thenCompose(
            response ->
                spool(response.body(), file)
                    .thenApplyAsync(
                        digests ->
                            new Source(
                                FileRegion.whole(file, digests.length()),
                                digests,
                                response.meta().contentType(),
                                file),
                        ctx.blocking()))
        .whenComplete(
            (s, t) -> {
              if (t != null) {
                deleteQuietly(file);
              }
            });
  }

  /**
   * Spools {@code body} to {@code file}, hashing it on the way, so the read-back is read once. The
   * channel is closed whatever the end.
   */
  private static CompletableFuture<Digests> spool(Publisher<ByteBuffer> body, Path file) {
    FileChannel channel;
    try {
      channel = FileChannel.open(file, StandardOpenOption.WRITE);
    } catch (IOException e) {
      return CompletableFuture.failedFuture(new UncheckedIOException(e));
    }
    BodyHasher hasher = BodyHasher.spooling(channel);
    body.subscribe(hasher);
    return hasher.done().whenComplete((d, t) -> closeQuietly(channel));
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // Everything is written, or the outcome is already a failure.
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // A leftover spool file in the temp directory is harmless.
    }
  }

  /** Bytes to put, and the temp file to delete afterwards (null when the caller owns them). */
  record Source(FileRegion bytes, Digests digests, String mediaType, Path temp) {
    void delete() {
      if (temp != null) {
        deleteQuietly(temp);
      }
    }
  }
}
