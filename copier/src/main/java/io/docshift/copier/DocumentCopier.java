package io.docshift.copier;

import io.docshift.copier.Settlement.Copied;
import io.docshift.core.key.DeliveryType;
import io.docshift.core.key.DocumentKey;
import io.docshift.core.key.ResourceType;
import io.docshift.core.outcome.Backend;
import io.docshift.core.outcome.Outcome;
import io.docshift.core.store.DocumentStore;
import io.docshift.core.store.PutCondition;
import io.docshift.core.store.PutRequest;
import io.docshift.core.store.StoreWaits;
import io.docshift.ledger.CloudinaryAsset;
import io.docshift.ledger.DocumentRecord;
import io.docshift.ledger.Documents;
import java.time.Duration;
import java.util.Optional;

/**
 * Copies one claimed document: inspect S3, download and hash, conditional put, settle the ledger.
 *
 * <ol>
 *   <li>HEAD the S3 object, unless the ledger knows of no S3 copy at all (the common case): then
 *       the put's {@code If-None-Match: *} is the check, and only a refused put leads to the HEAD.
 *       A newer {@code cloudinary-version} there (a dual-write) is left alone; the same version
 *       with Cloudinary's MD5 (an earlier run or the dual-write got there first) is verified
 *       without copying.
 *   <li>Copy. When the row knows Cloudinary's etag and the length (every listed asset), the
 *       download streams straight into the put ({@link StreamedCopy}): {@code Content-MD5} is the
 *       etag, so S3 refuses any other bytes ({@code BadDigest}; on the last attempt the row becomes
 *       {@code mismatch}, S3 holding nothing new), SHA-256 is computed on the way for the ledger,
 *       and each retry downloads again. Otherwise the original is downloaded into a {@link Spool}
 *       while hashing and put from there with both checksums. Either way a delivery ETag that
 *       differs from the listed etag means the asset changed since the listing ({@code
 *       source_changed}); spooled bytes that differ from the delivery ETag were damaged on the way
 *       and are fetched again (the last attempt goes on and ends as {@code mismatch}).
 *   <li>The put is conditional: {@code If-None-Match: *} when S3 had nothing, {@code If-Match} on
 *       the object it had. A failed condition means someone wrote meanwhile: inspect again.
 *   <li>Settle the ledger ({@link Settlement}); a destroy or a newer version that arrived meanwhile
 *       is caught there by the ledger's guards (a fresh copy of a destroyed document is deleted).
 * </ol>
 *
 * Transient failures are retried with backoff and jitter; permanent ones become a failed {@link
 * CopyOutcome} with a reason. Thread-safe: one instance serves every worker.
 */
public final class DocumentCopier {
  private static final int MAX_CONFLICTS = 3;

  private final DocumentStore cloudinary;
  private final DocumentStore s3;
  private final Spool spool;
  private final Retrier retrier;
  private final Settlement settlement;
  private final StreamedCopy streamer;
  private final Duration timeout;

  public DocumentCopier(
      Documents documents,
      DocumentStore cloudinary,
      DocumentStore s3,
      Spool spool,
      Retrier retrier,
      Duration timeout) {
    this.cloudinary = cloudinary;
    this.s3 = s3;
    this.spool = spool;
    this.retrier = retrier;
    this.settlement = new Settlement(documents, s3);
    this.streamer = new StreamedCopy(cloudinary, s3, timeout);
    this.timeout = timeout;
  }

  public CopyOutcome copy(DocumentRecord row) throws InterruptedException {
    return copy(row, false);
  }

  /**
   * {@link #copy(DocumentRecord)} of a row Cloudinary's Admin API has just confirmed ({@code
   * confirmed}): an S3 object that claims a newer version but not the row's bytes is then stale,
   * not a dual-write that got ahead, and is replaced (conditionally on the object seen). Cloudinary
   * numbers an upload after a destroy by the clock again, so an object written before the destroy
   * can carry a higher version than the asset Cloudinary holds now.
   */
  public CopyOutcome copy(DocumentRecord row, boolean confirmed) throws InterruptedException {
    return copy(row, new Trust(confirmed, false, Optional.empty()));
  }

  /**
   * {@link #copy(DocumentRecord)} of a row whose S3 object was found damaged (its bytes differ from
   * what its own metadata and the ledger say, as {@code verify} finds): the object's metadata is no
   * proof then, so it is replaced (conditionally on the object seen) instead of being settled as
   * already there. An object of a newer version is still left alone.
   *
   * @param seenEtag S3's own ETag of the damaged object as its finder saw it (quoted): the first
   *     put is conditional on it, because the ETag a HEAD through the store reports is the recorded
   *     MD5, which a damaged object does not match; empty when unknown
   */
  public CopyOutcome replaceDamaged(DocumentRecord row, Optional<String> seenEtag)
      throws InterruptedException {
    return copy(row, new Trust(false, true, seenEtag));
  }

  private CopyOutcome copy(DocumentRecord row, Trust trust) throws InterruptedException {
    DocumentKey key;
    try {
      key = documentKey(row.asset());
    } catch (IllegalArgumentException e) {
      return CopyOutcome.failed(
          "invalid_key", row.key() + ": " + e.getMessage(), Outcome.CLIENT_ERROR);
    }
    try {
      Target target =
          Inspection.noKnownCopy(row)
              ? new Target(PutCondition.ifAbsent(), null)
              : retrier.run(last -> inspect(key, row, trust));
      if (target.done() != null) {
        return target.done();
      }
      if (StreamedCopy.possible(row)) {
        return put(key, row, target.condition(), trust, condition -> streamed(key, row, condition));
      }
      try (Spooled spooled = retrier.run(last -> download(key, row, last))) {
        return put(
            key,
            row,
            target.condition(),
            trust,
            condition -> spooled(key, row, spooled, condition));
      }
    } catch (CopyFailure failure) {
      return failure.outcome();
    }
  }

  public static DocumentKey documentKey(CloudinaryAsset asset) {
    ResourceType rt =
        ResourceType.fromWire(asset.key().resourceType())
            .orElseThrow(() -> new IllegalArgumentException("resource type not migrated"));
    DeliveryType type =
        DeliveryType.fromWire(asset.key().type())
            .orElseThrow(() -> new IllegalArgumentException("delivery type not migrated"));
    String format = rt.formatOutsidePublicId() ? asset.format() : null;
    return DocumentKey.of(asset.key().cloud(), rt, type, asset.key().publicId(), format);
  }

  /** What S3 holds decides whether and how to write ({@link Inspection}). */
  private Target inspect(DocumentKey key, DocumentRecord row, Trust trust)
      throws InterruptedException {
    Inspection seen = Inspection.of(Heads.find(s3, key, timeout), row, trust);
    switch (seen.kind()) {
      case NEWER:
        String detail =
            key + ": S3 holds newer version " + seen.found().get().version().getAsLong();
        return new Target(null, CopyOutcome.skipped("s3_newer", detail));
      case HELD:
        long version = row.asset().version();
        String md5 = seen.found().get().md5Hex().get();
        Copied copy = new Copied(row.key(), version, md5, seen.sha256());
        return new Target(null, settlement.settle(copy, key, row.asset().etag(), false, 0));
      default:
        return new Target(seen.condition(), null);
    }
  }

  private Spooled download(DocumentKey key, DocumentRecord row, boolean last)
      throws CopyFailure, InterruptedException {
    Spooled spooled = spool.fetch(cloudinary, key);
    Optional<String> delivered = spooled.source().md5Hex();
    String listed = row.asset().etag();
    if (delivered.isPresent() && listed != null && !delivered.get().equalsIgnoreCase(listed)) {
      spooled.close();
      throw CopyFailure.permanent(
          "source_changed", key + ": Cloudinary now serves etag " + delivered.get());
    }
    if (delivered.isPresent() && !delivered.get().equals(spooled.md5()) && !last) {
      spooled.close();
      throw CopyFailure.retryable(
          "download_corrupted", key + ": md5 " + spooled.md5(), Outcome.CHECKSUM_MISMATCH);
    }
    return spooled;
  }

  /**
   * Puts with {@code first}, then, for as long as a condition is refused (someone wrote meanwhile,
   * so what was seen is stale), inspects S3 again and puts on what it holds now.
   */
  private CopyOutcome put(
      DocumentKey key, DocumentRecord row, PutCondition first, Trust trust, Attempt attempt)
      throws CopyFailure, InterruptedException {
    PutCondition condition = first;
    for (int conflicts = 0; ; conflicts++) {
      try {
        return attempt.put(condition);
      } catch (CopyFailure failure) {
        if (!failure.preconditionFailed() || conflicts >= MAX_CONFLICTS) {
          throw failure;
        }
      }
      Trust now = trust.forgetSeen();
      Target again = retrier.run(last -> inspect(key, row, now));
      if (again.done() != null) {
        return again.done();
      }
      condition = again.condition();
    }
  }

  /** Downloads straight into the put (each retry downloads again), then settles. */
  private CopyOutcome streamed(DocumentKey key, DocumentRecord row, PutCondition condition)
      throws CopyFailure, InterruptedException {
    StreamedCopy.Sent sent = retrier.run(last -> streamer.attempt(key, row, condition, last));
    String etag = row.asset().etag();
    if (sent.refused()) {
      return settlement.refused(
          row.key(), row.asset().version(), etag, sent.sha256(), sent.length());
    }
    Copied copy = new Copied(row.key(), row.asset().version(), etag, sent.sha256());
    return settlement.settle(copy, key, etag, true, sent.length());
  }

  /** Puts the spooled bytes (each retry from the spool), then settles. */
  private CopyOutcome spooled(
      DocumentKey key, DocumentRecord row, Spooled spooled, PutCondition condition)
      throws CopyFailure, InterruptedException {
    retrier.run(
        last ->
            StoreWaits.await(
                s3.put(key, request(row, spooled, condition)), timeout, Backend.S3, key));
    String expected =
        row.asset().etag() != null ? row.asset().etag() : spooled.source().md5Hex().orElse(null);
    Copied copy = new Copied(row.key(), row.asset().version(), spooled.md5(), spooled.sha256());
    return settlement.settle(copy, key, expected, true, spooled.length());
  }

  private static PutRequest request(DocumentRecord row, Spooled spooled, PutCondition condition) {
    return PutRequest.builder(spooled.length(), spooled.body())
        .contentType(spooled.source().contentType())
        .md5Hex(spooled.md5())
        .sha256Hex(spooled.sha256())
        .cloudinaryVersion(row.asset().version())
        .condition(condition)
        .build();
  }

  /** Either a condition for the put, or an outcome that needs no put. */
  private record Target(PutCondition condition, CopyOutcome done) {}

  /** One way of writing the document under a condition and settling it. */
  @FunctionalInterface
  private interface Attempt {
    CopyOutcome put(PutCondition condition) throws CopyFailure, InterruptedException;
  }
}
