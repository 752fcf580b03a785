package io.docshift.copier;

import io.docshift.core.store.DocumentMeta;
import software.amazon.awssdk.core.async.AsyncRequestBody;

/**
 * A downloaded original, in memory or on local disk, with the digests computed while it streamed
 * in. Closing frees the bytes (gives the memory back to the budget, or deletes the file).
 *
 * @param buffer where the bytes are
 * @param length bytes written
 * @param md5 lowercase hex MD5 of the bytes
 * @param sha256 lowercase hex SHA-256 of the bytes
 * @param source what the source's response said about the document (ETag, content type)
 */
public record Spooled(
    SpoolBuffer buffer, long length, String md5, String sha256, DocumentMeta source)
    implements AutoCloseable {

  /** A fresh upload body of the bytes; each upload attempt takes its own. */
  public AsyncRequestBody body() {
    return buffer.body();
  }

  @Override
  public void close() {
    buffer.close();
  }
}
