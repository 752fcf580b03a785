package io.docshift.shadow;

import io.docshift.core.key.DocumentKey;
import io.docshift.core.outcome.Backend;
import io.docshift.core.store.DocumentStore;
import io.docshift.core.store.StoreWaits;
import io.docshift.ledger.CloudinaryAsset;
import io.docshift.stores.s3.S3Inventory;
import io.docshift.stores.s3.S3ObjectInfo;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Checks one expected document against S3.
 *
 * <ul>
 *   <li>Always: HEAD the S3 object. A tombstone must be absent; anything else must be present.
 *   <li>Cheap (default): compare what is stored without reading bytes: S3's length with
 *       Cloudinary's; S3's own MD5 (a single-part ETag, computed by S3 over the stored bytes) with
 *       Cloudinary's etag, and with the MD5 DocShift recorded in the object's metadata when it
 *       wrote it (an object replaced behind DocShift's back keeps that metadata but not its ETag).
 *   <li>Deep: download both originals and hash them while they stream ({@link ShadowFetch}), then
 *       compare status, length, media type and MD5 like a shadow read.
 * </ul>
 *
 * Store failures propagate as {@link io.docshift.core.store.StoreException}s (the walk reports them
 * as errors).
 */
final class DocumentCheck {
  private final S3Inventory bucket;
  private final DocumentStore cloudinary;
  private final DocumentStore s3;
  private final boolean deep;
  private final Duration timeout;
  private final ScheduledExecutorService timer;

  DocumentCheck(
      S3Inventory bucket,
      DocumentStore cloudinary,
      DocumentStore s3,
      VerifyOptions options,
      ScheduledExecutorService timer) {
    this.bucket = bucket;
    this.cloudinary = cloudinary;
    this.s3 = s3;
    this.deep = options.deep();
    this.timeout = options.documentTimeout();
    this.timer = timer;
  }

  Checked check(Expected expected, DocumentKey key, String s3Key) throws InterruptedException {
    Optional<S3ObjectInfo> head = StoreWaits.await(bucket.head(s3Key), timeout, Backend.S3, s3Key);
    CloudinaryAsset asset = expected.asset();
    ReadSummary listed = ReadSummary.stored(asset.bytes(), asset.etag());
    ReadSummary stored =
        head.map(i -> ReadSummary.stored(i.size(), s3Md5(i).orElse(null)))
            .orElse(ReadSummary.notFound());
    if (expected.accessControlled()) {
      Optional<Finding> finding =
          head.map(
              i ->
                  finding(
                      FindingKind.ACCESS_CONTROLLED_IN_S3,
                      expected,
                      s3Key,
                      "access mode authenticated at Cloudinary, but S3 holds "
                          + i.size()
                          + " bytes it would serve unsigned"));
      return new Checked(expected, key, head, finding, ReadSummary.notFound(), stored);
    }
    if (expected.tombstone()) {
      Optional<Finding> finding =
          head.map(
              i ->
                  finding(
                      FindingKind.TOMBSTONED_PRESENT,
                      expected,
                      s3Key,
                      "destroyed, but S3 still holds " + i.size() + " bytes"));
      return new Checked(expected, key, head, finding, ReadSummary.notFound(), stored);
    }
    if (head.isEmpty()) {
      Finding missing = finding(FindingKind.MISSING_IN_S3, expected, s3Key, "no S3 object");
      return new Checked(expected, key, head, Optional.of(missing), listed, stored);
    }
    if (deep) {
      return deep(expected, key, s3Key, head);
    }
    return new Checked(expected, key, head, cheap(expected, s3Key, head.get()), listed, stored);
  }

  private static Optional<Finding> cheap(Expected expected, String s3Key, S3ObjectInfo info) {
    CloudinaryAsset asset = expected.asset();
    if (info.size() != asset.bytes()) {
      String detail = "S3 holds " + info.size() + " bytes, Cloudinary " + asset.bytes();
      return Optional.of(finding(FindingKind.SIZE_DIFFERS, expected, s3Key, detail));
    }
    Optional<String> md5 = s3Md5(info);
    if (asset.etag() != null && md5.isPresent() && !asset.etag().equalsIgnoreCase(md5.get())) {
      String detail = "S3 md5 " + md5.get() + ", Cloudinary etag " + asset.etag();
      return Optional.of(finding(FindingKind.CHECKSUM_DIFFERS, expected, s3Key, detail));
    }
    if (info.etagMd5().isPresent()
        && info.metadataMd5().isPresent()
        && !info.etagMd5().get().equals(info.metadataMd5().get())) {
      String detail =
          "S3's md5 of the stored bytes "
              + info.etagMd5().get()
              + " differs from the md5 recorded when DocShift wrote it "
              + info.metadataMd5().get();
      return Optional.of(finding(FindingKind.CHECKSUM_DIFFERS, expected, s3Key, detail));
    }
    return Optional.empty();
  }

  /** S3's own MD5 of the stored bytes when it has one (single-part ETag), else DocShift's. */
  private static Optional<String> s3Md5(S3ObjectInfo info) {
    return info.etagMd5().or(info::metadataMd5);
  }

  private Checked deep(
      Expected expected, DocumentKey key, String s3Key, Optional<S3ObjectInfo> head)
      throws InterruptedException {
    CompletableFuture<ReadSummary> fromCloudinary =
        ShadowFetch.read(cloudinary, key, true, timeout, timer);
    CompletableFuture<ReadSummary> fromS3 = ShadowFetch.read(s3, key, true, timeout, timer);
    Duration wait = timeout.plusSeconds(5);
    ReadSummary c = StoreWaits.await(fromCloudinary, wait, Backend.CLOUDINARY, key);
    ReadSummary s = StoreWaits.await(fromS3, wait, Backend.S3, key);
    return new Checked(expected, key, head, compare(expected, s3Key, c, s), c, s);
  }

  private static Optional<Finding> compare(
      Expected expected, String s3Key, ReadSummary c, ReadSummary s) {
    if (!c.found()) {
      return Optional.of(
          finding(FindingKind.MISSING_IN_CLOUDINARY, expected, s3Key, "Cloudinary answers 404"));
    }
    if (!s.found()) {
      return Optional.of(finding(FindingKind.MISSING_IN_S3, expected, s3Key, "S3 answers 404"));
    }
    Optional<String> difference = Comparison.difference(c, s);
    if (difference.isEmpty()) {
      return Optional.empty();
    }
    FindingKind kind =
        switch (difference.get()) {
          case Comparison.LENGTH -> FindingKind.SIZE_DIFFERS;
          case Comparison.CONTENT_TYPE -> FindingKind.CONTENT_TYPE_DIFFERS;
          default -> FindingKind.CHECKSUM_DIFFERS;
        };
    String detail =
        String.format(
            "Cloudinary %d bytes %s md5 %s; S3 %d bytes %s md5 %s",
            c.bytes(), c.contentType(), c.md5(), s.bytes(), s.contentType(), s.md5());
    return Optional.of(finding(kind, expected, s3Key, detail));
  }

  static Finding finding(FindingKind kind, Expected expected, String s3Key, String detail) {
    return new Finding(kind, expected.asset().key().toString(), s3Key, detail, false, "");
  }
}
