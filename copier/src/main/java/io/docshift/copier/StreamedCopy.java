package io.docshift.copier;

import io.docshift.core.digest.Digester;
import io.docshift.core.digest.Digester.Algorithm;
import io.docshift.core.digest.Digests;
import io.docshift.core.digest.HashingRelay;
import io.docshift.core.key.DocumentKey;
import io.docshift.core.outcome.Backend;
import io.docshift.core.outcome.Outcome;
import io.docshift.core.store.DocumentResponse;
import io.docshift.core.store.DocumentStore;
import io.docshift.core.store.PutCondition;
import io.docshift.core.store.PutRequest;
import io.docshift.core.store.StoreException;
import io.docshift.core.store.StoreWaits;
import io.docshift.ledger.DocumentRecord;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One attempt at a streamed copy: Cloudinary's body goes straight into the S3 put as it arrives,
 * with SHA-256 computed on the way ({@link HashingRelay}), never spooled.
 *
 * <p>Why this is safe without reading the bytes first: the row knows Cloudinary's etag (the MD5 of
 * the original) before the download, so the put declares it as {@code Content-MD5}, with the exact
 * {@code Content-Length}; S3 refuses a body with any other MD5 ({@code BadDigest}) and stores
 * nothing, and a body cut or lengthened on the way fails the upload. What S3 accepted is therefore
 * Cloudinary's original, byte for byte, and its MD5 is the etag.
 *
 * <p>The price: the SHA-256 is known only once the body went by, after the put's headers, so the
 * object's metadata carries {@code md5} and {@code cloudinary-version} but no {@code sha256}; the
 * SHA-256 goes to the ledger. A failed attempt cannot be replayed from a spool, so every retry
 * downloads again.
 */
final class StreamedCopy {
  private final DocumentStore cloudinary;
  private final DocumentStore s3;
  private final Duration timeout;

  StreamedCopy(DocumentStore cloudinary, DocumentStore s3, Duration timeout) {
    this.cloudinary = cloudinary;
    this.s3 = s3;
    this.timeout = timeout;
  }

  /** Whether the row tells enough (etag and length) to stream; else the copy spools. */
  static boolean possible(DocumentRecord row) {
    return row.asset().etag() != null && row.asset().bytes() > 0;
  }

  /**
   * What one attempt sent.
   *
   * @param sha256 SHA-256 of the bytes sent, null when the body did not go by whole
   * @param length bytes of the body
   * @param refused S3 refused the bytes as not matching the etag (only on a last attempt)
   */
  record Sent(String sha256, long length, boolean refused) {}

  /**
   * Downloads and puts {@code key} once.
   *
   * @param last a refusal by S3's digest check is then returned as {@link Sent#refused()} instead
   *     of thrown (and retried)
   * @throws StoreException classified: a failure of the download is Cloudinary's, even when it
   *     surfaced as the upload's
   * @throws CopyFailure {@code source_changed} when Cloudinary now serves another etag
   */
  Sent attempt(DocumentKey key, DocumentRecord row, PutCondition condition, boolean last)
      throws CopyFailure, InterruptedException {
    DocumentResponse response =
        StoreWaits.await(cloudinary.get(key, Optional.empty()), timeout, Backend.CLOUDINARY, key);
    String etag = row.asset().etag();
    Optional<String> delivered = response.meta().md5Hex();
    if (delivered.isPresent() && !delivered.get().equalsIgnoreCase(etag)) {
      response.discard();
      throw CopyFailure.permanent(
          "source_changed", key + ": Cloudinary now serves etag " + delivered.get());
    }
    long length = response.bodyLength().orElse(row.asset().bytes());
    HashingRelay body = HashingRelay.of(response.body(), length, Digester.of(Algorithm.SHA256));
    PutRequest request =
        PutRequest.builder(length, body)
            .contentType(response.meta().contentType())
            .md5Hex(etag.toLowerCase(java.util.Locale.ROOT))
            .cloudinaryVersion(row.asset().version())
            .condition(condition)
            .build();
    try {
      StoreWaits.await(s3.put(key, request), timeout, Backend.S3, key);
    } catch (StoreException e) {
      body.abort(e);
      if (body.sourceFailure().isPresent()) {
        throw StoreException.wrap(Backend.CLOUDINARY, "download", key, body.sourceFailure().get());
      }
      if (e.outcome() == Outcome.CHECKSUM_MISMATCH && last) {
        return new Sent(sha256(body.digests()), length, true);
      }
      throw e;
    } catch (InterruptedException e) {
      body.abort(e);
      throw e;
    }
    String sha256 = sha256(body.digests());
    if (sha256 == null) {
      // S3 answered before the whole body went by: nothing proves what it stored.
      throw new StoreException(
          Backend.S3, Outcome.LOCAL_ERROR, key + ": put answered before the body ended", null);
    }
    return new Sent(sha256, length, false);
  }

  private static String sha256(CompletableFuture<Digests> digests) {
    return digests.isDone() && !digests.isCompletedExceptionally() ? digests.join().sha256() : null;
  }
}
