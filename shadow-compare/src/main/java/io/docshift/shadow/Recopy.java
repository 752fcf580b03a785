package io.docshift.shadow;

import io.docshift.core.digest.BodyHasher;
import io.docshift.core.digest.Digests;
import io.docshift.core.key.DocumentKey;
import io.docshift.core.outcome.Backend;
import io.docshift.core.outcome.Outcome;
import io.docshift.core.store.DocumentResponse;
import io.docshift.core.store.DocumentStore;
import io.docshift.core.store.PutCondition;
import io.docshift.core.store.PutRequest;
import io.docshift.core.store.StoreException;
import io.docshift.core.store.StoreWaits;
import io.docshift.ledger.CloudinaryAsset;
import io.docshift.ledger.Documents;
import io.docshift.ledger.LedgerKey;
import io.docshift.ledger.S3State;
import io.docshift.ledger.Transition;
import io.docshift.ledger.UpsertOrigin;
import io.docshift.ledger.UpsertResult;
import io.docshift.stores.s3.S3ObjectInfo;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.core.async.AsyncRequestBody;

/**
 * {@code verify --repair}: puts S3 right, with the backfill's safety rules.
 *
 * <p>A copy downloads Cloudinary's original into a spool file while hashing it (MD5, SHA-256),
 * refuses bytes that differ from the etag Cloudinary listed (the asset changed: the next listing or
 * backfill picks it up), and puts them conditionally: {@code If-Match} on the exact object the
 * check saw (its real ETag, not the recorded MD5), or {@code If-None-Match: *} where there was
 * none, so a write that raced the repair is never overwritten; an S3 object of a newer Cloudinary
 * version is left alone. The ledger then goes {@code copied → verified} (MD5 = Cloudinary's etag).
 * A delete removes the S3 object of a document whose ledger row is still a tombstone.
 */
final class Recopy {
  /** What a repair did, or why it did nothing. */
  record Result(boolean done, String what) {}

  private final Documents documents;
  private final DocumentStore cloudinary;
  private final DocumentStore s3;
  private final Duration timeout;
  private final Path spoolDir;

  Recopy(
      Documents documents,
      DocumentStore cloudinary,
      DocumentStore s3,
      Duration timeout,
      Path spoolDir) {
    this.documents = documents;
    this.cloudinary = cloudinary;
    this.s3 = s3;
    this.timeout = timeout;
    this.spoolDir = spoolDir;
  }

  Result copy(CloudinaryAsset asset, DocumentKey key, Optional<S3ObjectInfo> current)
      throws InterruptedException {
    long version = asset.version();
    if (current.isPresent()
        && current.get().cloudinaryVersion().isPresent()
        && current.get().cloudinaryVersion().getAsLong() > version) {
      return new Result(false, "S3 holds newer version " + current.get().cloudinaryVersion());
    }
    UpsertResult upsert = documents.upsert(asset, UpsertOrigin.LISTING);
    if (upsert == UpsertResult.IGNORED_OLDER || upsert == UpsertResult.TOMBSTONE_KEPT) {
      return new Result(false, "the ledger knows better (" + upsert + ")");
    }
    Path file = spoolFile();
    try {
      return copyFrom(file, asset, key, current);
    } finally {
      deleteQuietly(file);
    }
  }

  private Result copyFrom(
      Path file, CloudinaryAsset asset, DocumentKey key, Optional<S3ObjectInfo> current)
      throws InterruptedException {
    DocumentResponse source =
        StoreWaits.await(cloudinary.get(key, Optional.empty()), timeout, Backend.CLOUDINARY, key);
    Digests spooled = spool(source, file, key);
    if (asset.etag() != null && !asset.etag().equalsIgnoreCase(spooled.md5())) {
      return new Result(
          false, "Cloudinary now serves md5 " + spooled.md5() + ", not the etag listed");
    }
    PutCondition condition =
        current
            .map(i -> i.etag().map(PutCondition::ifMatch).orElse(PutCondition.none()))
            .orElse(PutCondition.ifAbsent());
    PutRequest put =
        PutRequest.builder(spooled.length(), AsyncRequestBody.fromFile(file))
            .contentType(source.meta().contentType())
            .md5Hex(spooled.md5())
            .sha256Hex(spooled.sha256())
            .cloudinaryVersion(asset.version())
            .condition(condition)
            .build();
    try {
      StoreWaits.await(s3.put(key, put), timeout, Backend.S3, key);
    } catch (StoreException e) {
      if (e.outcome() == Outcome.CLIENT_ERROR) {
        return new Result(false, "S3 changed meanwhile, not overwritten: " + e.getMessage());
      }
      throw e;
    }
    return settle(asset, spooled);
  }

  private Result settle(CloudinaryAsset asset, Digests d) {
    LedgerKey key = asset.key();
    Transition copied = documents.markCopied(key, asset.version(), d.md5(), d.sha256());
    if (copied != Transition.APPLIED && copied != Transition.ALREADY) {
      return new Result(false, "copied " + d.length() + " bytes; ledger: " + copied);
    }
    Transition verified = documents.markVerified(key, asset.version(), d.md5(), d.sha256());
    boolean done = verified == Transition.APPLIED || verified == Transition.ALREADY;
    return new Result(
        done,
        "copied "
            + d.length()
            + " bytes from Cloudinary; ledger "
            + (done ? "verified" : verified));
  }

  private Digests spool(DocumentResponse source, Path file, DocumentKey key)
      throws InterruptedException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      BodyHasher hasher = BodyHasher.spooling(channel);
      source.body().subscribe(hasher);
      try {
        return StoreWaits.await(hasher.done(), timeout, Backend.CLOUDINARY, key);
      } catch (StoreException | InterruptedException e) {
        hasher.cancel(e);
        throw e;
      }
    } catch (IOException e) {
      throw new StoreException(Backend.CLOUDINARY, Outcome.LOCAL_ERROR, "spool " + file, e);
    }
  }

  Result delete(LedgerKey ledgerKey, DocumentKey key) throws InterruptedException {
    boolean tombstone =
        documents.find(ledgerKey).map(r -> r.state() == S3State.DELETED).orElse(false);
    if (!tombstone) {
      return new Result(false, "no longer a tombstone in the ledger");
    }
    boolean existed = StoreWaits.await(s3.delete(key), timeout, Backend.S3, key);
    return new Result(true, existed ? "deleted the S3 object" : "already gone");
  }

  private Path spoolFile() {
    try {
      Files.createDirectories(spoolDir);
      return Files.createTempFile(spoolDir, "docshift-verify-", ".spool");
    } catch (IOException e) {
      throw new StoreException(Backend.CLOUDINARY, Outcome.LOCAL_ERROR, "spool in " + spoolDir, e);
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // A leftover spool file is harmless; the temp directory is cleaned by the system.
    }
  }
}
