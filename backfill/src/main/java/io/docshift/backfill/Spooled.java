package io.docshift.backfill;

import io.docshift.core.store.DocumentMeta;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A downloaded original on local disk with the digests computed while it streamed in. Closing
 * deletes the file.
 *
 * @param file the spool file
 * @param length bytes written
 * @param md5 lowercase hex MD5 of the bytes
 * @param sha256 lowercase hex SHA-256 of the bytes
 * @param source what Cloudinary's response said about the document (ETag, content type)
 */
record Spooled(Path file, long length, String md5, String sha256, DocumentMeta source)
    implements AutoCloseable {

  @Override
  public void close() {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete spool file " + file, e);
    }
  }
}
