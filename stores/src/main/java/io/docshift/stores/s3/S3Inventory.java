package io.docshift.stores.s3;

import static java.util.Objects.requireNonNull;

import io.docshift.core.config.S3Settings;
import io.docshift.core.outcome.Backend;
import io.docshift.core.outcome.Outcome;
import io.docshift.core.store.DocumentMeta;
import io.docshift.core.store.StoreCalls;
import io.docshift.core.store.StoreException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * What the bucket holds, object by object, without reading bodies: {@code HeadObject} with the ETag
 * S3 computed and the metadata DocShift wrote side by side, and {@code ListObjectsV2} pages. The
 * offline {@code verify} walk uses it; {@link S3DocumentStore} hides these details (its metadata
 * prefers DocShift's recorded MD5 over S3's ETag), which is exactly what a check for objects
 * changed behind DocShift's back must not do.
 *
 * <p>Same client configuration as {@link S3DocumentStore} (DocShift's S3 event loops, no SDK
 * retries). Failures complete futures with a classified {@link StoreException}. Thread-safe.
 */
public final class S3Inventory implements AutoCloseable {
  private final software.amazon.awssdk.services.s3.S3AsyncClient client;
  private final String bucket;
  private final String keyPrefix;

  private S3Inventory(S3Settings settings) {
    this.client = S3DocumentStore.client(settings, S3EventLoops.shared());
    this.bucket = settings.bucket();
    this.keyPrefix = settings.keyPrefix();
  }

  /** An inventory of {@code settings.bucket()} with its own connections. */
  public static S3Inventory create(S3Settings settings) {
    requireNonNull(settings, "settings");
    return new S3Inventory(settings);
  }

  /** The prefix every DocShift key starts with ({@code s3.keyPrefix}). */
  public String keyPrefix() {
    return keyPrefix;
  }

  /**
   * The object stored under {@code key} (the full key, prefix included).
   *
   * @return completes with the object's facts, or empty when there is no such object
   */
  public CompletableFuture<Optional<S3ObjectInfo>> head(String key) {
    requireNonNull(key, "key");
    return StoreCalls.classified(
            Backend.S3,
            "head",
            key,
            () ->
                client
                    .headObject(b -> b.bucket(bucket).key(key))
                    .thenApply(r -> Optional.of(info(key, r))))
        .exceptionallyCompose(S3Inventory::absentWhenNotFound);
  }

  private static CompletableFuture<Optional<S3ObjectInfo>> absentWhenNotFound(Throwable failure) {
    StoreException e = StoreException.wrap(Backend.S3, "head", "", failure);
    return e.outcome() == Outcome.NOT_FOUND
        ? CompletableFuture.completedFuture(Optional.empty())
        : CompletableFuture.failedFuture(e);
  }

  /**
   * One page of the keys under {@code prefix}, in key order.
   *
   * @param continuation the {@link S3ObjectPage#next()} of the previous page, empty for the first
   * @param maxKeys at most this many objects (S3 caps it at 1000)
   */
  public CompletableFuture<S3ObjectPage> list(
      String prefix, Optional<String> continuation, int maxKeys) {
    requireNonNull(prefix, "prefix");
    requireNonNull(continuation, "continuation");
    checkMaxKeys(maxKeys);
    ListObjectsV2Request.Builder request =
        ListObjectsV2Request.builder().bucket(bucket).prefix(prefix).maxKeys(maxKeys);
    continuation.ifPresent(request::continuationToken);
    return list(prefix, request);
  }

  /**
   * One page of the keys under {@code prefix} that sort after {@code startAfter} (S3's order: UTF-8
   * bytes), in key order: a listing that starts where the wanted keys start instead of at the
   * prefix's first key.
   *
   * @param maxKeys at most this many objects (S3 caps it at 1000)
   */
  public CompletableFuture<S3ObjectPage> listAfter(String prefix, String startAfter, int maxKeys) {
    requireNonNull(prefix, "prefix");
    requireNonNull(startAfter, "startAfter");
    checkMaxKeys(maxKeys);
    return list(
        prefix,
        ListObjectsV2Request.builder()
            .bucket(bucket)
            .prefix(prefix)
            .startAfter(startAfter)
            .maxKeys(maxKeys));
  }

  private static void checkMaxKeys(int maxKeys) {
    if (maxKeys < 1 || maxKeys > 1000) {
      throw new IllegalArgumentException("maxKeys: " + maxKeys + " (expected: 1..1000)");
    }
  }

  private CompletableFuture<S3ObjectPage> list(
      String prefix, ListObjectsV2Request.Builder request) {
    return StoreCalls.classified(
        Backend.S3,
        "list",
        prefix,
        () -> client.listObjectsV2(request.build()).thenApply(S3Inventory::page));
  }

  private static S3ObjectPage page(ListObjectsV2Response response) {
    List<S3ObjectInfo> objects =
        response.contents().stream()
            .map(S3Inventory::info)
            .collect(java.util.stream.Collectors.toList());
    Optional<String> next =
        Boolean.TRUE.equals(response.isTruncated())
            ? Optional.ofNullable(response.nextContinuationToken())
            : Optional.empty();
    return new S3ObjectPage(objects, next);
  }

  private static S3ObjectInfo info(S3Object o) {
    return new S3ObjectInfo(
        o.key(),
        o.size() == null ? 0 : o.size(),
        Optional.ofNullable(o.eTag()),
        DocumentMeta.md5FromEtag(o.eTag()),
        Optional.empty(),
        OptionalLong.empty(),
        Optional.ofNullable(o.lastModified()));
  }

  private static S3ObjectInfo info(String key, HeadObjectResponse r) {
    Map<String, String> metadata = r.metadata();
    return new S3ObjectInfo(
        key,
        r.contentLength() == null ? 0 : r.contentLength(),
        Optional.ofNullable(r.eTag()),
        DocumentMeta.md5FromEtag(r.eTag()),
        DocumentMeta.md5FromEtag(metadata.get(S3Mapping.MD5)),
        version(metadata.get(S3Mapping.CLOUDINARY_VERSION)),
        Optional.ofNullable(r.lastModified()));
  }

  private static OptionalLong version(String value) {
    try {
      return value == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(value.strip()));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
