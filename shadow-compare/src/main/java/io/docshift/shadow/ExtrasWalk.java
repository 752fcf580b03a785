package io.docshift.shadow;

import io.docshift.core.key.DeliveryType;
import io.docshift.core.key.DocumentKey;
import io.docshift.core.key.ResourceType;
import io.docshift.core.outcome.Backend;
import io.docshift.core.store.StoreWaits;
import io.docshift.ledger.Documents;
import io.docshift.ledger.LedgerKey;
import io.docshift.ledger.S3State;
import io.docshift.stores.s3.S3Inventory;
import io.docshift.stores.s3.S3ObjectInfo;
import io.docshift.stores.s3.S3ObjectPage;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The second half of a verify walk: lists DocShift's part of the bucket ({@code
 * {keyPrefix}{cloud}/}) and reports every object the inventory did not account for ({@link
 * SeenKeys}). Such an object is {@code tombstoned-present} when the ledger says its document was
 * destroyed (the key is read back as {@code resource_type/type/public_id[.format]}), and {@code
 * extra-in-s3} otherwise: an object the inventory does not know (another tool's, or a copy in a
 * format the document no longer has). Extras are never deleted; that is for a person to decide.
 */
final class ExtrasWalk {
  private static final int PAGE = 1000;

  private final S3Inventory bucket;
  private final Documents documents;
  private final String cloud;
  private final String prefix;
  private final Duration timeout;

  /** An object nobody expected, read back as a document where its key allows. */
  record Extra(S3ObjectInfo object, Optional<DocumentKey> key, boolean tombstone) {}

  ExtrasWalk(
      S3Inventory bucket, Documents documents, String cloud, String prefix, Duration timeout) {
    this.bucket = bucket;
    this.documents = documents;
    this.cloud = cloud;
    this.prefix = prefix;
    this.timeout = timeout;
  }

  /**
   * Walks the listing to its end (true) or until {@code stopped} (false), handing each unexpected
   * object to {@code extras} and each page's size to {@code listed}.
   */
  boolean run(
      SeenKeys seen, Consumer<Extra> extras, Consumer<Integer> listed, BooleanSupplier stopped)
      throws InterruptedException {
    String root = bucket.keyPrefix() + cloud + "/";
    Optional<String> next = Optional.empty();
    do {
      if (stopped.getAsBoolean()) {
        return false;
      }
      S3ObjectPage page =
          StoreWaits.await(bucket.list(root, next, PAGE), timeout, Backend.S3, root);
      listed.accept(page.objects().size());
      for (S3ObjectInfo object : page.objects()) {
        Optional<DocumentKey> key = parse(object.key().substring(root.length()));
        boolean ours = key.map(k -> k.publicId().startsWith(prefix)).orElse(prefix.isEmpty());
        if (ours && !seen.contains(object.key())) {
          extras.accept(new Extra(object, key, key.map(this::tombstoned).orElse(false)));
        }
      }
      next = page.next();
    } while (next.isPresent());
    return true;
  }

  private boolean tombstoned(DocumentKey key) {
    return documents.find(LedgerKey.of(key)).map(r -> r.state() == S3State.DELETED).orElse(false);
  }

  /** {@code resource_type/type/public_id[.format]} as a document key, if it is one. */
  Optional<DocumentKey> parse(String rest) {
    String[] parts = rest.split("/", 3);
    if (parts.length < 3) {
      return Optional.empty();
    }
    Optional<ResourceType> rt = ResourceType.fromWire(parts[0]);
    Optional<DeliveryType> type = DeliveryType.fromWire(parts[1]);
    if (rt.isEmpty() || type.isEmpty()) {
      return Optional.empty();
    }
    String publicId = parts[2];
    String format = null;
    int dot = publicId.lastIndexOf('.');
    if (rt.get().formatOutsidePublicId() && dot > publicId.lastIndexOf('/') + 1) {
      format = publicId.substring(dot + 1);
      publicId = publicId.substring(0, dot);
    }
    try {
      return Optional.of(DocumentKey.of(cloud, rt.get(), type.get(), publicId, format));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
