package io.docshift.proxy.graphql;

import io.docshift.core.key.DocumentKey;
import io.docshift.core.store.DocumentMeta;
import io.docshift.stores.s3.S3Inventory;
import io.docshift.stores.s3.S3ObjectInfo;
import io.docshift.stores.s3.S3ObjectPage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * S3 metadata (size, S3's own MD5 ETag, last-modified) for a batch of documents from {@code
 * ListObjectsV2} instead of one HEAD each: a folder page of 100 documents is one LIST of the keys
 * they share. Each LIST starts just before the first key not yet answered, so documents scattered
 * through a large folder cost a few LISTs, never a walk of the folder; at most {@link #MAX_LISTS}
 * per batch, and whatever they did not reach is HEADed. A key the listing passed without seeing it
 * is not in S3 (no HEAD). A listed object whose ETag is not a plain MD5 (a multipart upload) is
 * HEADed for the MD5 DocShift recorded. Listings carry no user metadata: a document's {@code
 * checksum} and {@code version} need {@link S3Heads}.
 */
final class S3Listings {
  /** LISTs per batch at most: the bound the static cost counts on. */
  static final int MAX_LISTS = 2;

  /** Below this many keys in a batch HEADs are as cheap as a LIST and exact. */
  static final int MIN_KEYS = 3;

  private static final String UNKNOWN_TYPE = "application/octet-stream";

  private final S3Inventory bucket;
  private final S3Heads heads;

  S3Listings(S3Inventory bucket, S3Heads heads) {
    this.bucket = bucket;
    this.heads = heads;
  }

  /** Each key's metadata; empty for the ones S3 does not hold. */
  CompletableFuture<Map<DocumentKey, Optional<DocumentMeta>>> load(
      List<DocumentKey> keys, Spend spend) {
    if (keys.size() < MIN_KEYS) {
      return heads.head(keys, spend.s3Heads::incrementAndGet);
    }
    NavigableMap<String, DocumentKey> pending = new TreeMap<>(S3Listings::s3Order);
    keys.forEach(key -> pending.put(key.s3Key(bucket.keyPrefix()), key));
    String prefix = commonPrefix(pending.firstKey(), pending.lastKey());
    return list(new Batch(prefix, pending), spend, 0);
  }

  /** What is known so far, and the keys still to answer. */
  private record Batch(
      String prefix,
      NavigableMap<String, DocumentKey> pending,
      Map<DocumentKey, Optional<DocumentMeta>> found,
      List<DocumentKey> toHead) {
    Batch(String prefix, NavigableMap<String, DocumentKey> pending) {
      this(prefix, pending, new HashMap<>(), new ArrayList<>());
    }
  }

  private CompletableFuture<Map<DocumentKey, Optional<DocumentMeta>>> list(
      Batch batch, Spend spend, int lists) {
    if (batch.pending().isEmpty() || lists == MAX_LISTS) {
      return headRest(batch, spend);
    }
    String first = batch.pending().firstKey();
    // Any key below the first wanted one will do; dropping its last character gives the closest.
    String startAfter = first.substring(0, first.offsetByCodePoints(first.length(), -1));
    int maxKeys = Math.min(1000, Math.max(10, 2 * batch.pending().size()));
    spend.s3Lists.incrementAndGet();
    return bucket
        .listAfter(batch.prefix(), startAfter, maxKeys)
        .thenCompose(
            page -> {
              settle(batch, page);
              return list(batch, spend, lists + 1);
            });
  }

  /** GraphqlAnswers the pending keys this page saw, and the ones it passed without seeing. */
  private static void settle(Batch batch, S3ObjectPage page) {
    for (S3ObjectInfo object : page.objects()) {
      DocumentKey key = batch.pending().remove(object.key());
      if (key == null) {
        continue;
      }
      if (object.etagMd5().isPresent()) {
        batch.found().put(key, Optional.of(meta(object)));
      } else {
        batch.toHead().add(key);
      }
    }
    // The listing is complete up to its last key (to the end when it is the last page).
    Map<String, DocumentKey> passed;
    if (page.next().isEmpty()) {
      passed = batch.pending();
    } else if (page.objects().isEmpty()) {
      passed = Map.of();
    } else {
      passed = batch.pending().headMap(page.objects().get(page.objects().size() - 1).key(), true);
    }
    for (DocumentKey key : List.copyOf(passed.values())) {
      batch.found().put(key, Optional.empty());
    }
    if (!passed.isEmpty()) {
      passed.clear();
    }
  }

  private CompletableFuture<Map<DocumentKey, Optional<DocumentMeta>>> headRest(
      Batch batch, Spend spend) {
    List<DocumentKey> rest = new ArrayList<>(batch.toHead());
    rest.addAll(batch.pending().values());
    if (rest.isEmpty()) {
      return CompletableFuture.completedFuture(batch.found());
    }
    return heads
        .head(rest, spend.s3Heads::incrementAndGet)
        .thenApply(
            headed -> {
              batch.found().putAll(headed);
              return batch.found();
            });
  }

  private static DocumentMeta meta(S3ObjectInfo object) {
    return new DocumentMeta(
        OptionalLong.of(object.size()),
        UNKNOWN_TYPE,
        object.etagMd5(),
        Optional.empty(),
        OptionalLong.empty(),
        object.lastModified());
  }

  /** The longest common prefix of the batch's first and last key (so of all of them). */
  static String commonPrefix(String a, String b) {
    int i = 0;
    while (i < a.length() && i < b.length() && a.charAt(i) == b.charAt(i)) {
      i++;
    }
    if (i > 0 && Character.isHighSurrogate(a.charAt(i - 1))) {
      i--;
    }
    return a.substring(0, i);
  }

  /** S3's key order: UTF-8 bytes, which is code point order (not Java's UTF-16 order). */
  static int s3Order(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }
}
