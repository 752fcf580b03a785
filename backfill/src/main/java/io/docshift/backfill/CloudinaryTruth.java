package io.docshift.backfill;

import io.docshift.copier.CopyFailure;
import io.docshift.copier.DocumentCopier;
import io.docshift.copier.Heads;
import io.docshift.core.key.DocumentKey;
import io.docshift.core.outcome.Backend;
import io.docshift.core.outcome.Outcome;
import io.docshift.core.outcome.OutcomeClassifier;
import io.docshift.core.store.DocumentMeta;
import io.docshift.core.store.DocumentStore;
import io.docshift.core.store.StoreException;
import io.docshift.ledger.DocumentRecord;
import io.docshift.ledger.Documents;
import io.docshift.ledger.LedgerKey;
import io.docshift.ledger.UpsertOrigin;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * Answers "what does Cloudinary hold for this document right now?" for the S3 repairs, and brings
 * the ledger row up to date with the answer.
 *
 * <p>The cheap check comes first: a delivery HEAD whose ETag equals the row's etag confirms the row
 * as it is, without touching the Admin API's hourly budget. Anything else (a 404, another ETag, no
 * etag on the row, no row at all, or a caller that knows the row is stale) is settled by the Admin
 * API's details call, because only it is authoritative: a delivery 404 may be a CDN-cached answer
 * from before an upload, and tombstoning a live document on that would keep it out of S3 for good.
 * The details also carry what a delivery HEAD cannot: the exact {@code version} and the format of
 * an image or video whose ledger row was never written (a dual-write that crashed first).
 */
final class CloudinaryTruth {
  private final Documents documents;
  private final DocumentStore cloudinary;
  private final AdminApi admin;
  private final Duration timeout;

  CloudinaryTruth(Documents documents, DocumentStore cloudinary, AdminApi admin, Duration timeout) {
    this.documents = documents;
    this.cloudinary = cloudinary;
    this.admin = admin;
    this.timeout = timeout;
  }

  /**
   * The ledger row as Cloudinary's current asset makes it: the row itself when the delivery ETag
   * confirms it, else the row after an upsert of the asset's details (never reviving a tombstone,
   * so the result may be a tombstone): {@link UpsertOrigin#LISTING}, which never downgrades a
   * version, or with {@code stale} {@link UpsertOrigin#CONFIRMED}, which takes Cloudinary's version
   * even when lower.
   *
   * @param row the row as read, if any
   * @param stale skip the delivery check: the caller saw the row disagree with a store
   * @return empty when Cloudinary has no such asset; a tombstone when the asset is
   *     access-controlled (the row is made one, see {@link AccessControlled})
   */
  Optional<DocumentRecord> current(LedgerKey key, Optional<DocumentRecord> row, boolean stale)
      throws CopyFailure, InterruptedException {
    if (row.isPresent() && !stale && confirmedByDelivery(row.get())) {
      return row;
    }
    Optional<ListedResource> asset = details(key);
    if (asset.isEmpty()) {
      return Optional.empty();
    }
    if (AccessControlled.applies(asset.get())) {
      // Never in S3 (anyone could read it there): the row becomes an access-controlled tombstone,
      // unless a newer write through DocShift has its own access mode.
      documents.markAccessControlled(
          asset.get().asset(key.cloud()), DocumentRecord.ACCESS_CONTROLLED);
      return documents.find(key);
    }
    // Once the row was seen to disagree with a store, the details are Cloudinary's word: they may
    // lower the row's version, since Cloudinary numbers an upload after a destroy by the clock.
    documents.upsert(
        asset.get().asset(key.cloud()), stale ? UpsertOrigin.CONFIRMED : UpsertOrigin.LISTING);
    return documents.find(key);
  }

  private boolean confirmedByDelivery(DocumentRecord row) throws InterruptedException {
    String etag = row.asset().etag();
    if (etag == null) {
      return false;
    }
    DocumentKey key = DocumentCopier.documentKey(row.asset());
    Optional<DocumentMeta> head;
    try {
      head = Heads.find(cloudinary, key, timeout);
    } catch (StoreException e) {
      // Refused (an asset made access-controlled answers 401) or unreachable: the details decide.
      return false;
    }
    return head.flatMap(DocumentMeta::md5Hex).filter(etag::equalsIgnoreCase).isPresent();
  }

  /** The Admin API's details of the asset; empty when Cloudinary has no such asset. */
  Optional<ListedResource> details(LedgerKey key) throws CopyFailure, InterruptedException {
    try {
      return admin.details(key.resourceType(), key.type(), key.publicId());
    } catch (AdminApiException e) {
      Outcome outcome = OutcomeClassifier.fromStatus(Backend.CLOUDINARY, e.status());
      String detail = key + ": " + e.getMessage();
      throw CopyFailure.retryable("admin_api", detail, outcome);
    } catch (IOException e) {
      Outcome outcome = OutcomeClassifier.classify(Backend.CLOUDINARY, e);
      throw CopyFailure.retryable("admin_api", key + ": " + e, outcome);
    }
  }
}
