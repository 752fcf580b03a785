package io.docshift.stores.s3;

import static java.util.Objects.requireNonNull;

import io.docshift.core.outcome.Backend;
import io.docshift.core.store.StoreCalls;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import org.reactivestreams.Publisher;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Temporary objects of chunked uploads in the documents' bucket, under a reserved prefix no
 * document key can take ({@code {keyPrefix}.docshift-chunks/{uploadId}/{start}-{end}}: document
 * keys start with the cloud name). Every instance of a fleet sees them, which is why chunks are
 * kept here rather than on one instance's disk. Shares the client of the {@link S3DocumentStore}
 * that made it (and its lifetime). Failures complete futures with a classified {@link
 * io.docshift.core.store.StoreException}.
 */
public final class S3Temporaries {
  /** The reserved folder under the key prefix. */
  public static final String FOLDER = ".docshift-chunks/";

  private final software.amazon.awssdk.services.s3.S3AsyncClient client;
  private final String bucket;
  private final String root;

  S3Temporaries(
      software.amazon.awssdk.services.s3.S3AsyncClient client, String bucket, String keyPrefix) {
    this.client = client;
    this.bucket = bucket;
    this.root = keyPrefix + FOLDER;
  }

  /** Where chunk {@code start-end} of {@code uploadId} is kept. */
  public String key(String uploadId, long start, long end) {
    return prefix(uploadId) + start + "-" + end;
  }

  /** The folder of one upload's chunks. */
  public String prefix(String uploadId) {
    return root + requireNonNull(uploadId, "uploadId") + "/";
  }

  /** Stores {@code length} bytes; S3 checks them against {@code sha256Hex}. */
  public CompletableFuture<Void> put(
      String key, long length, Publisher<ByteBuffer> body, String sha256Hex) {
    requireNonNull(key, "key");
    return StoreCalls.classified(
        Backend.S3,
        "put temporary",
        key,
        () ->
            client
                .putObject(
                    b ->
                        b.bucket(bucket)
                            .key(key)
                            .contentLength(length)
                            .checksumAlgorithm(ChecksumAlgorithm.SHA256)
                            .checksumSHA256(S3Mapping.base64OfHex(sha256Hex)),
                    new KnownLengthBody(length, "application/octet-stream", body))
                .thenApply(r -> null));
  }

  /**
   * Streams the object into {@code out} (blocking: call off the event loops) and returns its
   * length.
   */
  public long copyTo(String key, OutputStream out) throws IOException {
    requireNonNull(out, "out");
    ResponseInputStream<GetObjectResponse> in =
        StoreCalls.classified(
                Backend.S3,
                "get temporary",
                key,
                () ->
                    client.getObject(
                        b -> b.bucket(bucket).key(key),
                        AsyncResponseTransformer.toBlockingInputStream()))
            .join();
    try (InputStream body = in) {
      return body.transferTo(out);
    }
  }

  /** Deletes every temporary of {@code uploadId}; completes with how many there were. */
  public CompletableFuture<Integer> deleteAll(String uploadId) {
    String prefix = prefix(uploadId);
    return StoreCalls.classified(
        Backend.S3, "delete temporaries", prefix, () -> deletePage(prefix, null, 0));
  }

  /** One listing page deleted, then the next (S3 lists at most 1000 keys a page). */
  private CompletableFuture<Integer> deletePage(String prefix, String continuation, int done) {
    return client
        .listObjectsV2(b -> b.bucket(bucket).prefix(prefix).continuationToken(continuation))
        .thenCompose(
            page -> {
              CompletableFuture<?>[] deletes =
                  page.contents().stream()
                      .map(S3Object::key)
                      .map(k -> client.deleteObject(b -> b.bucket(bucket).key(k)))
                      .toArray(CompletableFuture[]::new);
              int total = done + deletes.length;
              return CompletableFuture.allOf(deletes)
                  .thenCompose(
                      x ->
                          Boolean.TRUE.equals(page.isTruncated())
                              ? deletePage(prefix, page.nextContinuationToken(), total)
                              : CompletableFuture.completedFuture(total));
            });
  }
}
