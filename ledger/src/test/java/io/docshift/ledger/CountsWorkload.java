package io.docshift.ledger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * Random row changes of every kind the ledger makes (inserts, new versions, copies, verifications,
 * mismatches, refusals, tombstones, access control, moves, claims, releases, dual-write records)
 * over a small set of keys in a few clouds and folders, so many changes hit the same rows and
 * counters. Every operation here takes its rows one at a time or in key order, so concurrent
 * workloads do not deadlock on document rows.
 */
final class CountsWorkload {
  static final String MD5 = "0cc175b9c0f1b6a831c399e269772661";
  static final String OTHER_MD5 = "92eb5ffee6ae2fec3ad71c777531578f";
  static final String SHA = "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb";
  private static final String[] CLOUDS = {"demo", "other"};
  private static final String[] FOLDERS = {"", "a/", "b/", "a/deep/", "c/"};
  private static final int KEYS = 24;

  private final Documents documents;
  private final Random random;
  private final String worker;

  CountsWorkload(Documents documents, long seed, String worker) {
    this.documents = documents;
    this.random = new Random(seed);
    this.worker = worker;
  }

  /**
   * A row for every key, so concurrent workloads update rows rather than race to insert them (a
   * page that keeps losing insert races fails: the ledger retries a transaction a few times only).
   */
  void seedAll() {
    for (int i = 0; i < KEYS; i++) {
      documents.upsert(randomAsset(key(i)), UpsertOrigin.LISTING);
    }
  }

  LedgerKey randomKey() {
    return key(random.nextInt(KEYS));
  }

  private static LedgerKey key(int i) {
    String publicId = FOLDERS[i % FOLDERS.length] + "doc" + i;
    return new LedgerKey(CLOUDS[i % CLOUDS.length], "image", "upload", publicId);
  }

  CloudinaryAsset randomAsset(LedgerKey key) {
    return new CloudinaryAsset(
        key, "pdf", 1 + random.nextInt(4), random.nextBoolean() ? MD5 : null, random.nextInt(5000));
  }

  /** One random change; refusals are normal outcomes, not failures. */
  void step() {
    LedgerKey key = randomKey();
    switch (random.nextInt(14)) {
      case 0 -> documents.upsert(randomAsset(key), UpsertOrigin.LISTING);
      case 1 -> documents.upsertAll(sortedAssets(1 + random.nextInt(5)), UpsertOrigin.LISTING);
      case 2 -> documents.markCopied(key, version(key), MD5, SHA);
      case 3 -> documents.markVerified(key, version(key), MD5, SHA);
      case 4 -> documents.markCopiedAndVerified(key, version(key), MD5, SHA);
      case 5 -> documents.markMismatch(key, "differs", OTHER_MD5, null);
      case 6 -> documents.markRefused(key, version(key), "BadDigest");
      case 7 -> documents.markDeleted(key, "destroyed");
      case 8 -> documents.markAccessControlled(randomAsset(key), "authenticated");
      case 9 -> documents.recordWrite(randomAsset(key), MD5, SHA);
      case 10 -> documents.upsertWrite(randomAsset(key), RowSeen.unknown());
      case 11 -> claimAndSettle();
      case 12 -> documents.releaseLease(key, worker, "gave up");
      default -> documents.upsert(randomAsset(key), UpsertOrigin.WRITE);
    }
  }

  /** Steps that take several rows in an order of their own; run them on one thread only. */
  void multiRowStep() {
    LedgerKey key = randomKey();
    switch (random.nextInt(3)) {
      case 0 -> documents.move(key, randomAsset(randomKey()), "renamed");
      case 1 -> documents.markAllDeleted(List.of(key, randomKey()), random.nextBoolean(), "bulk");
      default -> documents.markAllAccessControlled(List.of(key), true, "bulk");
    }
  }

  private void claimAndSettle() {
    Set<S3State> states = Set.of(S3State.ABSENT, S3State.MISMATCH);
    for (DocumentRecord row : documents.claimBatch(worker, Duration.ofMinutes(1), 3, states)) {
      if (random.nextBoolean()) {
        documents.markCopiedAndVerified(row.key(), row.asset().version(), MD5, SHA);
      }
    }
  }

  private long version(LedgerKey key) {
    return documents.find(key).map(r -> r.asset().version()).orElse(1L);
  }

  /** A listing page: distinct keys in key order, as concurrent pages would lock them. */
  private List<CloudinaryAsset> sortedAssets(int n) {
    TreeSet<String> ids = new TreeSet<>();
    List<LedgerKey> keys = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      LedgerKey key = randomKey();
      if (ids.add(key.toString())) {
        keys.add(key);
      }
    }
    keys.sort((x, y) -> x.toString().compareTo(y.toString()));
    return keys.stream().map(this::randomAsset).toList();
  }
}
