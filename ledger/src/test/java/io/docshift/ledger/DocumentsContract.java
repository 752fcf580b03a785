package io.docshift.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Upserts and guarded S3-state transitions on {@link Documents}. */
abstract class DocumentsContract extends LedgerFixture {
  static final String MD5 = "0cc175b9c0f1b6a831c399e269772661";
  static final String SHA = "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb";
  static final String OTHER_MD5 = "92eb5ffee6ae2fec3ad71c777531578f";

  Documents docs() {
    return ledger.documents();
  }

  @Test
  void upsertInsertsAnAbsentRowThatFindReturns() {
    assertThat(docs().upsert(asset("a", 100, MD5), UpsertOrigin.LISTING))
        .isEqualTo(UpsertResult.INSERTED);

    DocumentRecord row = docs().find(key("a")).orElseThrow();
    assertThat(row.asset()).isEqualTo(asset("a", 100, MD5));
    assertThat(row.s3()).isEqualTo(new S3Copy(S3State.ABSENT, null, null, null));
    assertThat(row.attempts()).isZero();
    assertThat(row.lease()).isEmpty();
    assertThat(row.createdAt()).isEqualTo(START);
    assertThat(docs().find(key("missing"))).isEmpty();
  }

  @Test
  void upsertNeverDowngradesAVersion() {
    docs().upsert(asset("a", 200, MD5), UpsertOrigin.WRITE);

    assertThat(docs().upsert(asset("a", 100, OTHER_MD5), UpsertOrigin.LISTING))
        .isEqualTo(UpsertResult.IGNORED_OLDER);
    assertThat(docs().find(key("a")).orElseThrow().asset().etag()).isEqualTo(MD5);
  }

  @Test
  void sameVersionFillsMissingMetadataAndKeepsTheS3State() {
    docs().upsert(asset("a", 100, null), UpsertOrigin.WRITE);
    docs().markCopied(key("a"), 100, MD5, SHA);

    assertThat(docs().upsert(asset("a", 100, MD5), UpsertOrigin.LISTING))
        .isEqualTo(UpsertResult.UPDATED);
    assertThat(docs().upsert(asset("a", 100, MD5), UpsertOrigin.LISTING))
        .isEqualTo(UpsertResult.UNCHANGED);
    assertThat(docs().upsert(asset("a", 100, null), UpsertOrigin.LISTING))
        .isEqualTo(UpsertResult.UNCHANGED);
    DocumentRecord row = docs().find(key("a")).orElseThrow();
    assertThat(row.asset().etag()).isEqualTo(MD5);
    assertThat(row.state()).isEqualTo(S3State.COPIED);
  }

  @Test
  void aNewerVersionMakesAVerifiedCopyAbsent() {
    verifiedDocument("a", 100);
    clock.advance(Duration.ofSeconds(5));

    assertThat(docs().upsert(asset("a", 101, OTHER_MD5), UpsertOrigin.WRITE))
        .isEqualTo(UpsertResult.UPDATED);
    DocumentRecord row = docs().find(key("a")).orElseThrow();
    assertThat(row.asset().version()).isEqualTo(101);
    assertThat(row.s3()).isEqualTo(new S3Copy(S3State.ABSENT, null, null, null));
    assertThat(row.updatedAt()).isEqualTo(START.plusSeconds(5));
    assertThat(row.createdAt()).isEqualTo(START);
  }

  @Test
  void aTombstoneSurvivesListingsAndOnlyANewerWriteRevivesIt() {
    verifiedDocument("a", 100);
    assertThat(docs().markDeleted(key("a"), "destroy via proxy")).isEqualTo(Transition.APPLIED);
    assertThat(docs().markDeleted(key("a"), "again")).isEqualTo(Transition.APPLIED);

    assertThat(docs().upsert(asset("a", 500, MD5), UpsertOrigin.LISTING))
        .isEqualTo(UpsertResult.TOMBSTONE_KEPT);
    assertThat(docs().upsert(asset("a", 100, MD5), UpsertOrigin.WRITE))
        .isEqualTo(UpsertResult.TOMBSTONE_KEPT);
    DocumentRecord tombstone = docs().find(key("a")).orElseThrow();
    assertThat(tombstone.state()).isEqualTo(S3State.DELETED);
    assertThat(tombstone.lastError()).isEqualTo("again");
    assertThat(tombstone.s3().md5()).isEqualTo(MD5);

    assertThat(docs().upsert(asset("a", 101, OTHER_MD5), UpsertOrigin.WRITE))
        .isEqualTo(UpsertResult.RESURRECTED);
    DocumentRecord revived = docs().find(key("a")).orElseThrow();
    assertThat(revived.s3()).isEqualTo(new S3Copy(S3State.ABSENT, null, null, null));
    assertThat(revived.asset().etag()).isEqualTo(OTHER_MD5);
    assertThat(revived.lastError()).isNull();
  }

  @Test
  void deletingAnUnknownDocumentLeavesATombstone() {
    assertThat(docs().markDeleted(key("ghost"), "destroy")).isEqualTo(Transition.APPLIED);

    assertThat(docs().find(key("ghost")).orElseThrow().state()).isEqualTo(S3State.DELETED);
    assertThat(docs().upsert(asset("ghost", 100, MD5), UpsertOrigin.LISTING))
        .isEqualTo(UpsertResult.TOMBSTONE_KEPT);
  }

  @Test
  void markCopiedRequiresTheCurrentVersionAndALiveRow() {
    assertThat(docs().markCopied(key("a"), 100, MD5, SHA)).isEqualTo(Transition.NOT_FOUND);
    docs().upsert(asset("a", 100, MD5), UpsertOrigin.LISTING);

    assertThat(docs().markCopied(key("a"), 99, MD5, SHA)).isEqualTo(Transition.STALE_VERSION);
    assertThat(docs().markCopied(key("a"), 100, MD5.toUpperCase(), SHA))
        .isEqualTo(Transition.APPLIED);
    assertThat(docs().markCopied(key("a"), 100, MD5, SHA)).isEqualTo(Transition.ALREADY);
    assertThat(docs().find(key("a")).orElseThrow().s3())
        .isEqualTo(new S3Copy(S3State.COPIED, 100L, MD5, SHA));

    docs().markDeleted(key("a"), "destroy");
    assertThat(docs().markCopied(key("a"), 100, MD5, SHA)).isEqualTo(Transition.WRONG_STATE);
  }

  @Test
  void markVerifiedChecksStateVersionAndHashes() {
    docs().upsert(asset("a", 100, MD5), UpsertOrigin.LISTING);
    assertThat(docs().markVerified(key("a"), 100, MD5, SHA)).isEqualTo(Transition.WRONG_STATE);
    assertThat(docs().markVerified(key("nope"), 100, MD5, SHA)).isEqualTo(Transition.NOT_FOUND);
    docs().markCopied(key("a"), 100, MD5, SHA);

    assertThat(docs().markVerified(key("a"), 99, MD5, SHA)).isEqualTo(Transition.STALE_VERSION);
    assertThat(docs().markVerified(key("a"), 100, OTHER_MD5, SHA))
        .isEqualTo(Transition.HASH_MISMATCH);
    assertThat(docs().markVerified(key("a"), 100, MD5, SHA.replace('c', 'd')))
        .isEqualTo(Transition.HASH_MISMATCH);
    assertThat(docs().find(key("a")).orElseThrow().state()).isEqualTo(S3State.COPIED);

    assertThat(docs().markVerified(key("a"), 100, MD5, SHA)).isEqualTo(Transition.APPLIED);
    assertThat(docs().markVerified(key("a"), 100, MD5, SHA)).isEqualTo(Transition.ALREADY);
    assertThat(docs().find(key("a")).orElseThrow().state()).isEqualTo(S3State.VERIFIED);
  }

  @Test
  void verifyWithoutACloudinaryEtagComparesTheCopyHashes() {
    docs().upsert(asset("a", 100, null), UpsertOrigin.WRITE);
    docs().markCopied(key("a"), 100, MD5, SHA);

    assertThat(docs().markVerified(key("a"), 100, OTHER_MD5, SHA))
        .isEqualTo(Transition.HASH_MISMATCH);
    assertThat(docs().markVerified(key("a"), 100, MD5, SHA)).isEqualTo(Transition.APPLIED);
  }

  @Test
  void aMismatchStopsS3ReadsUntilAReverifyMatchesCloudinary() {
    verifiedDocument("a", 100);
    assertThat(docs().markMismatch(key("a"), "shadow md5 differs", OTHER_MD5, null))
        .isEqualTo(Transition.APPLIED);
    DocumentRecord row = docs().find(key("a")).orElseThrow();
    assertThat(row.s3()).isEqualTo(new S3Copy(S3State.MISMATCH, 100L, OTHER_MD5, null));
    assertThat(row.lastError()).isEqualTo("shadow md5 differs");

    assertThat(docs().markVerified(key("a"), 100, OTHER_MD5, SHA))
        .isEqualTo(Transition.HASH_MISMATCH);
    assertThat(docs().markVerified(key("a"), 100, MD5, SHA)).isEqualTo(Transition.APPLIED);
    assertThat(docs().find(key("a")).orElseThrow().lastError()).isNull();
  }

  @Test
  void markMismatchIsRefusedWithoutACopy() {
    docs().upsert(asset("a", 100, MD5), UpsertOrigin.LISTING);

    assertThat(docs().markMismatch(key("a"), "r", null, null)).isEqualTo(Transition.WRONG_STATE);
    assertThat(docs().markMismatch(key("b"), "r", null, null)).isEqualTo(Transition.NOT_FOUND);
  }

  @Test
  void aCopyS3RefusedIsAMismatchEvenWithoutACopyButNeverOnATombstoneOrAnotherVersion() {
    docs().upsert(asset("a", 100, MD5), UpsertOrigin.LISTING);

    assertThat(docs().markRefused(key("a"), 99, "S3 refused")).isEqualTo(Transition.STALE_VERSION);
    assertThat(docs().markRefused(key("a"), 100, "S3 refused")).isEqualTo(Transition.APPLIED);
    DocumentRecord row = docs().find(key("a")).orElseThrow();
    assertThat(row.s3()).isEqualTo(new S3Copy(S3State.MISMATCH, null, null, null));
    assertThat(row.lastError()).isEqualTo("S3 refused");

    docs().markDeleted(key("a"), "destroyed");
    assertThat(docs().markRefused(key("a"), 100, "late")).isEqualTo(Transition.WRONG_STATE);
    assertThat(docs().markRefused(key("b"), 100, "r")).isEqualTo(Transition.NOT_FOUND);
  }

  @Test
  void countsEveryStateAndPagesThroughOne() {
    for (int i = 0; i < 5; i++) {
      docs().upsert(asset("doc" + i, 100, MD5), UpsertOrigin.LISTING);
    }
    verifiedDocument("v", 100);
    docs().markDeleted(key("gone"), "destroy");

    Map<S3State, Long> counts = docs().countByState();
    assertThat(counts)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                S3State.ABSENT, 5L,
                S3State.COPIED, 0L,
                S3State.VERIFIED, 1L,
                S3State.MISMATCH, 0L,
                S3State.DELETED, 1L));
    var first = docs().page(S3State.ABSENT, 0, 3);
    var second = docs().page(S3State.ABSENT, first.get(2).id(), 3);
    assertThat(first).extracting(r -> r.key().publicId()).containsExactly("doc0", "doc1", "doc2");
    assertThat(second).extracting(r -> r.key().publicId()).containsExactly("doc3", "doc4");
  }

  @Test
  void longErrorsAreClippedRatherThanFailingTheWrite() {
    verifiedDocument("a", 100);

    assertThat(docs().markMismatch(key("a"), "x".repeat(5000), null, null))
        .isEqualTo(Transition.APPLIED);
    assertThat(docs().find(key("a")).orElseThrow().lastError()).hasSize(2000);
  }

  @Test
  void copiedKeepsTheLeaseUntilVerifiedEndsIt() {
    docs().upsert(asset("a", 100, MD5), UpsertOrigin.LISTING);
    docs().claimBatch("w1", Duration.ofMinutes(5), 1, Set.of(S3State.ABSENT));

    docs().markCopied(key("a"), 100, MD5, SHA);
    assertThat(docs().find(key("a")).orElseThrow().lease()).isPresent();
    assertThat(docs().claimBatch("w2", Duration.ofMinutes(5), 1, Set.of(S3State.COPIED)))
        .as("another worker's verify phase must not take a copy still being verified")
        .isEmpty();

    docs().markVerified(key("a"), 100, MD5, SHA);
    assertThat(docs().find(key("a")).orElseThrow().lease()).isEmpty();
  }

  @Test
  void upsertAllAppliesTheUpsertRulesPerAssetInOneCall() {
    docs().upsert(asset("old", 200, MD5), UpsertOrigin.WRITE);
    docs().markDeleted(key("gone"), "destroy");

    assertThat(
            docs()
                .upsertAll(
                    List.of(
                        asset("new", 100, MD5),
                        asset("old", 100, OTHER_MD5),
                        asset("gone", 300, MD5),
                        asset("new", 100, MD5)),
                    UpsertOrigin.LISTING))
        .containsExactly(
            UpsertResult.INSERTED,
            UpsertResult.IGNORED_OLDER,
            UpsertResult.TOMBSTONE_KEPT,
            UpsertResult.UNCHANGED);
    assertThat(docs().find(key("new")).orElseThrow().state()).isEqualTo(S3State.ABSENT);
    assertThat(docs().find(key("old")).orElseThrow().asset().version()).isEqualTo(200);
    assertThat(docs().find(key("gone")).orElseThrow().state()).isEqualTo(S3State.DELETED);
    assertThat(docs().upsertAll(List.of(), UpsertOrigin.LISTING)).isEmpty();
  }

  /**
   * Regression: a listing page whose transaction lost an insert race twice (another writer
   * committed one of its keys between its look-up and its insert, then another) failed, since a
   * transaction was retried once only.
   */
  @Test
  void aPageThatLosesSeveralInsertRacesLandsOnTheRetryThatSeesTheWinnersRows() {
    Jdbc jdbc = new Jdbc(ledger.dataSource(), clock);
    List<CloudinaryAsset> page =
        List.of(asset("p1", 100, MD5), asset("p2", 100, MD5), asset("p3", 100, MD5));
    AtomicInteger runs = new AtomicInteger();

    jdbc.transaction(
        "page",
        c -> {
          int run = runs.incrementAndGet();
          for (int i = 0; i < page.size(); i++) {
            CloudinaryAsset asset = page.get(i);
            if (DocumentSql.select(c, asset.key(), true).isEmpty()) {
              if (i == run - 1) {
                // Another writer commits this key after our look-up, before our insert.
                docs().upsert(asset, UpsertOrigin.WRITE);
              }
              DocumentSql.insert(c, asset, null, null, jdbc.now());
            }
          }
          return null;
        });

    assertThat(runs).as("three races lost, the fourth run sees every winner's row").hasValue(4);
    assertThat(List.of("p1", "p2", "p3"))
        .allSatisfy(id -> assertThat(docs().find(key(id))).isPresent());
  }

  @Test
  void aTransactionThatKeepsLosingInsertRacesFailsWithTheLostRaces() {
    Jdbc jdbc = new Jdbc(ledger.dataSource(), clock);
    AtomicInteger runs = new AtomicInteger();

    assertThatThrownBy(
            () ->
                jdbc.transaction(
                    "hopeless",
                    c -> {
                      CloudinaryAsset asset = asset("race" + runs.incrementAndGet(), 100, MD5);
                      docs().upsert(asset, UpsertOrigin.WRITE);
                      DocumentSql.insert(c, asset, null, null, jdbc.now());
                      return null;
                    }))
        .isInstanceOf(LedgerException.class)
        .hasMessage("hopeless failed");
    assertThat(runs).hasValue(Jdbc.INSERT_RACE_ATTEMPTS);
  }

  @Test
  void markCopiedAndVerifiedSettlesInOneStepUnderTheSameGuards() {
    assertThat(docs().markCopiedAndVerified(key("a"), 100, MD5, SHA))
        .isEqualTo(Transition.NOT_FOUND);
    docs().upsert(asset("a", 100, MD5), UpsertOrigin.LISTING);
    docs().claimBatch("w1", Duration.ofMinutes(5), 1, Set.of(S3State.ABSENT));

    assertThat(docs().markCopiedAndVerified(key("a"), 99, MD5, SHA))
        .isEqualTo(Transition.STALE_VERSION);
    assertThat(docs().markCopiedAndVerified(key("a"), 100, MD5, SHA)).isEqualTo(Transition.APPLIED);
    DocumentRecord row = docs().find(key("a")).orElseThrow();
    assertThat(row.s3()).isEqualTo(new S3Copy(S3State.VERIFIED, 100L, MD5, SHA));
    assertThat(row.lease()).as("verified ends the lease").isEmpty();
    assertThat(docs().markCopiedAndVerified(key("a"), 100, MD5, SHA)).isEqualTo(Transition.ALREADY);

    docs().markDeleted(key("a"), "destroy");
    assertThat(docs().markCopiedAndVerified(key("a"), 100, MD5, SHA))
        .isEqualTo(Transition.WRONG_STATE);
  }

  @Test
  void markCopiedAndVerifiedKeepsTheCopyWhenTheHashesDisagreeWithTheEtag() {
    docs().upsert(asset("a", 100, MD5), UpsertOrigin.LISTING);

    assertThat(docs().markCopiedAndVerified(key("a"), 100, OTHER_MD5, SHA))
        .isEqualTo(Transition.HASH_MISMATCH);
    assertThat(docs().find(key("a")).orElseThrow().s3())
        .as("copied with what S3 holds, never verified")
        .isEqualTo(new S3Copy(S3State.COPIED, 100L, OTHER_MD5, SHA));
  }

  void verifiedDocument(String publicId, long version) {
    docs().upsert(asset(publicId, version, MD5), UpsertOrigin.WRITE);
    assertThat(docs().markCopied(key(publicId), version, MD5, SHA)).isEqualTo(Transition.APPLIED);
    assertThat(docs().markVerified(key(publicId), version, MD5, SHA)).isEqualTo(Transition.APPLIED);
  }

  @Test
  void findAllReadsManyKeysAtOnceAndSkipsUnknownOnes() {
    docs().upsert(asset("a", 100, MD5), UpsertOrigin.LISTING);
    docs().upsert(asset("b", 100, MD5), UpsertOrigin.LISTING);

    assertThat(docs().findAll(List.of(key("a"), key("b"), key("missing"))))
        .extracting(DocumentRecord::key)
        .containsExactlyInAnyOrder(key("a"), key("b"));
    assertThat(docs().findAll(List.of())).isEmpty();
  }

  @Test
  void pageByPrefixTakesThePrefixLiterallyAndPagesInIdOrder() {
    for (String id : List.of("f/a", "f/b", "f/c", "f_x/d", "g/e", "f%/z", "f!/y")) {
      docs().upsert(asset(id, 100, MD5), UpsertOrigin.LISTING);
    }
    String cloud = key("f/a").cloud();

    List<DocumentRecord> first = docs().pageByPrefix(cloud, "f/", null, 0, 2);
    assertThat(first).extracting(r -> r.key().publicId()).containsExactly("f/a", "f/b");
    assertThat(docs().pageByPrefix(cloud, "f/", null, first.get(1).id(), 2))
        .extracting(r -> r.key().publicId())
        .containsExactly("f/c");
    assertThat(docs().pageByPrefix(cloud, "f_", null, 0, 10))
        .extracting(r -> r.key().publicId())
        .containsExactly("f_x/d");
    assertThat(docs().pageByPrefix(cloud, "f%", null, 0, 10))
        .extracting(r -> r.key().publicId())
        .containsExactly("f%/z");
    assertThat(docs().pageByPrefix(cloud, "f!", null, 0, 10))
        .extracting(r -> r.key().publicId())
        .containsExactly("f!/y");
    docs().markCopied(key("f/b"), 100, MD5, SHA);
    assertThat(docs().pageByPrefix(cloud, "f/", S3State.COPIED, 0, 10))
        .extracting(r -> r.key().publicId())
        .containsExactly("f/b");
    assertThat(docs().pageByPrefix("other-cloud", "f/", null, 0, 10)).isEmpty();
  }

  @Test
  void liveByPrefixListsOneTypesLiveRowsInPublicIdOrder() {
    for (String id : List.of("p/c", "p/a", "p/b", "p_x/d", "q/e")) {
      docs().upsert(asset(id, 100, MD5), UpsertOrigin.LISTING);
    }
    LedgerKey privateP = new LedgerKey(key("p/a").cloud(), "image", "private", "p/z");
    docs().upsert(new CloudinaryAsset(privateP, "pdf", 100, MD5, 1), UpsertOrigin.LISTING);
    docs().markAllDeleted(List.of(key("p/b")), true, "test");

    assertThat(docs().liveByPrefix(key("any").cloud(), "image", "upload", "p/", 10))
        .extracting(r -> r.key().publicId())
        .containsExactly("p/a", "p/c");
    assertThat(docs().liveByPrefix(key("any").cloud(), "image", "upload", "p/", 1))
        .extracting(r -> r.key().publicId())
        .containsExactly("p/a");
    assertThat(docs().liveByPrefix(key("any").cloud(), "image", "upload", "p_", 10))
        .extracting(r -> r.key().publicId())
        .containsExactly("p_x/d");
    assertThat(docs().liveByPrefix(key("any").cloud(), "image", "upload", "", 10))
        .extracting(r -> r.key().publicId())
        .containsExactly("p/a", "p/c", "p_x/d", "q/e");
    assertThat(docs().liveByPrefix(privateP.cloud(), "image", "private", "p/", 10))
        .extracting(r -> r.key())
        .containsExactly(privateP);
  }
}
