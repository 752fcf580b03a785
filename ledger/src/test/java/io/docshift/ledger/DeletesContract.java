package io.docshift.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bulk tombstones and moves, as Admin API deletes and {@code rename} use them. */
abstract class DeletesContract extends LedgerFixture {
  private static final String MD5 = "0123456789abcdef0123456789abcdef";
  private static final String SHA = "ab".repeat(32);

  private DocumentRecord verified(CloudinaryAsset asset) {
    assertThat(ledger.documents().recordWrite(asset, MD5, SHA)).isEqualTo(Transition.APPLIED);
    return ledger.documents().find(asset.key()).orElseThrow();
  }

  private S3State state(LedgerKey key) {
    return ledger.documents().find(key).map(DocumentRecord::state).orElse(null);
  }

  @Test
  void markAllDeletedTombstonesRowsAndInsertsOnlyWhenAsked() {
    Documents documents = ledger.documents();
    DocumentRecord a = verified(asset("a", 100, MD5));
    documents.upsert(asset("b", 100, null), UpsertOrigin.LISTING);

    List<DocumentRecord> before =
        documents.markAllDeleted(List.of(key("a"), key("b"), key("gone")), false, "bulk");

    assertThat(before).extracting(DocumentRecord::key).containsExactly(key("a"), key("b"));
    assertThat(before.get(0).state()).isEqualTo(S3State.VERIFIED);
    assertThat(state(key("a"))).isEqualTo(S3State.DELETED);
    assertThat(state(key("b"))).isEqualTo(S3State.DELETED);
    assertThat(documents.find(key("gone"))).isEmpty();
    // The S3 version stays on the tombstone, so the S3 delete can still be checked.
    assertThat(documents.find(key("a")).orElseThrow().s3().version()).isEqualTo(a.s3().version());

    documents.markAllDeleted(List.of(key("gone")), true, "bulk");
    assertThat(state(key("gone"))).isEqualTo(S3State.DELETED);
    // A listing never revives a tombstone.
    assertThat(documents.upsert(asset("a", 100, MD5), UpsertOrigin.LISTING))
        .isEqualTo(UpsertResult.TOMBSTONE_KEPT);
  }

  @Test
  void anAccessControlledListingTombstonesInsertsWithItsFormatAndSparesNewerRows() {
    Documents documents = ledger.documents();
    verified(asset("copied", 100, MD5));
    verified(asset("newer", 120, MD5));

    assertThat(documents.markAccessControlled(asset("copied", 100, MD5), "authn"))
        .map(DocumentRecord::state)
        .contains(S3State.VERIFIED);
    assertThat(state(key("copied"))).isEqualTo(S3State.DELETED);
    // Never seen: a tombstone of the listed asset, whose format names the S3 object.
    assertThat(documents.markAccessControlled(asset("unseen", 100, MD5), "authn")).isEmpty();
    DocumentRecord unseen = documents.find(key("unseen")).orElseThrow();
    assertThat(unseen.state()).isEqualTo(S3State.DELETED);
    assertThat(unseen.asset().format()).isEqualTo(asset("unseen", 100, MD5).format());
    assertThat(unseen.asset().version()).isEqualTo(100);
    // A row written through DocShift after the listing was read is left alone.
    assertThat(documents.markAccessControlled(asset("newer", 110, MD5), "authn"))
        .map(r -> r.asset().version())
        .contains(120L);
    assertThat(state(key("newer"))).isEqualTo(S3State.VERIFIED);
    assertThat(documents.upsert(asset("copied", 100, MD5), UpsertOrigin.LISTING))
        .isEqualTo(UpsertResult.TOMBSTONE_KEPT);
  }

  @Test
  void aWriteThatSawTheTombstoneRevivesItWhateverItsVersion() {
    Documents documents = ledger.documents();
    verified(asset("doc", 105, MD5));
    documents.markDeleted(key("doc"), "destroyed");
    RowSeen seen = new RowSeen(key("doc"), documents.find(key("doc")));
    String md5 = "fedcba9876543210fedcba9876543210";

    // Cloudinary numbers the upload after a destroy by the clock: below the destroyed overwrite's.
    assertThat(documents.recordWrite(asset("doc", 103, md5), md5, SHA, seen))
        .isEqualTo(Transition.APPLIED);

    DocumentRecord row = documents.find(key("doc")).orElseThrow();
    assertThat(row.state()).isEqualTo(S3State.VERIFIED);
    assertThat(row.asset().version()).isEqualTo(103);
    assertThat(row.asset().etag()).isEqualTo(md5);
  }

  @Test
  void aWriteThatSawAnotherRowKeepsTheTombstoneUnlessNewer() {
    Documents documents = ledger.documents();
    verified(asset("doc", 105, MD5));
    RowSeen before = new RowSeen(key("doc"), documents.find(key("doc")));
    documents.markDeleted(key("doc"), "destroyed by another instance meanwhile");

    assertThat(documents.recordWrite(asset("doc", 105, MD5), MD5, SHA, before))
        .isEqualTo(Transition.STALE_VERSION);
    assertThat(documents.upsertWrite(asset("doc", 105, MD5), before))
        .isEqualTo(UpsertResult.TOMBSTONE_KEPT);
    assertThat(documents.upsertWrite(asset("doc", 105, MD5), RowSeen.unknown()))
        .isEqualTo(UpsertResult.TOMBSTONE_KEPT);
    assertThat(state(key("doc"))).isEqualTo(S3State.DELETED);
    assertThat(documents.recordWrite(asset("doc", 106, MD5), MD5, SHA, before))
        .isEqualTo(Transition.APPLIED);
  }

  @Test
  void moveTombstonesTheSourceAndPlacesTheAssetWithoutAnS3Copy() {
    Documents documents = ledger.documents();
    verified(asset("from", 100, MD5));
    CloudinaryAsset renamed = asset("to", 100, MD5);

    assertThat(documents.move(key("from"), renamed, "renamed"))
        .map(DocumentRecord::state)
        .contains(S3State.VERIFIED);

    assertThat(state(key("from"))).isEqualTo(S3State.DELETED);
    DocumentRecord to = documents.find(key("to")).orElseThrow();
    assertThat(to.state()).isEqualTo(S3State.ABSENT);
    assertThat(to.asset()).isEqualTo(renamed);
  }

  @Test
  void moveOverAnExistingDocumentReplacesItsRow() {
    Documents documents = ledger.documents();
    verified(asset("from", 100, MD5));
    verified(asset("target", 300, MD5));
    CloudinaryAsset renamed = asset("target", 100, MD5);

    documents.move(key("from"), renamed, "renamed with overwrite");

    DocumentRecord target = documents.find(key("target")).orElseThrow();
    assertThat(target.state()).isEqualTo(S3State.ABSENT);
    assertThat(target.asset().version()).isEqualTo(100);
    assertThat(state(key("from"))).isEqualTo(S3State.DELETED);
  }

  @Test
  void moveOfADocumentTheLedgerNeverSawLeavesATombstoneBehind() {
    Documents documents = ledger.documents();
    documents.markDeleted(key("to"), "destroyed earlier");

    assertThat(documents.move(key("unknown"), asset("to", 50, MD5), "renamed")).isEmpty();

    assertThat(state(key("unknown"))).isEqualTo(S3State.DELETED);
    assertThat(state(key("to"))).isEqualTo(S3State.ABSENT);
  }

  @Test
  void aRemovalTurnsAnAccessControlledTombstoneIntoARemovalsDatedThen() {
    Documents documents = ledger.documents();
    DocumentRecord live = verified(asset("doc", 100, MD5));
    documents.markAllAccessControlled(List.of(key("doc")), false, DocumentRecord.ACCESS_CONTROLLED);
    DocumentRecord accessControlled = documents.find(key("doc")).orElseThrow();
    assertThat(accessControlled.tombstone()).isEqualTo(TombstoneReason.ACCESS_CONTROLLED);
    assertThat(accessControlled.removed()).isFalse();

    clock.advance(Duration.ofSeconds(5));
    assertThat(documents.markDeleted(key("doc"), "destroyed through the Upload API"))
        .isEqualTo(Transition.APPLIED);

    DocumentRecord removed = documents.find(key("doc")).orElseThrow();
    assertThat(removed.tombstone()).isEqualTo(TombstoneReason.REMOVED);
    assertThat(removed.accessControlled()).isFalse();
    assertThat(removed.lastError()).isEqualTo("destroyed through the Upload API");
    assertThat(removed.updatedAt()).isEqualTo(START.plusSeconds(5));
    assertThat(removed.s3().version()).isEqualTo(live.s3().version());
    // A second removal dates the tombstone: a repair revives it only for an upload after that.
    clock.advance(Duration.ofSeconds(5));
    assertThat(documents.markDeleted(key("doc"), "again")).isEqualTo(Transition.APPLIED);
    DocumentRecord again = documents.find(key("doc")).orElseThrow();
    assertThat(again.updatedAt()).isEqualTo(START.plusSeconds(10));
    assertThat(again.removed()).isTrue();
    assertThat(again.lastError()).isEqualTo("again");
    assertThat(again.s3()).isEqualTo(removed.s3());
  }

  @Test
  void aRemovalsTombstoneStaysOneWhenTheAssetIsThenFoundAccessControlled() {
    Documents documents = ledger.documents();
    verified(asset("doc", 100, MD5));
    documents.markDeleted(key("doc"), "destroyed");
    DocumentRecord removed = documents.find(key("doc")).orElseThrow();

    documents.markAllAccessControlled(List.of(key("doc")), false, DocumentRecord.ACCESS_CONTROLLED);
    documents.markAccessControlled(asset("doc", 100, MD5), DocumentRecord.ACCESS_CONTROLLED);

    assertThat(documents.find(key("doc")).orElseThrow()).isEqualTo(removed);
    assertThat(removed.removed()).isTrue();
  }

  @Test
  void theColumnNotTheErrorTextTellsTheReason() {
    Documents documents = ledger.documents();
    documents.markDeleted(key("removed"), "verify: " + DocumentRecord.ACCESS_CONTROLLED);
    documents.markAllAccessControlled(List.of(key("authn")), true, "found authenticated");

    assertThat(documents.find(key("removed")).orElseThrow().removed()).isTrue();
    DocumentRecord authn = documents.find(key("authn")).orElseThrow();
    assertThat(authn.accessControlled()).isTrue();
    // A revived row is no tombstone of any kind.
    documents.upsert(asset("authn", 200, MD5), UpsertOrigin.ORDERED_WRITE);
    DocumentRecord revived = documents.find(key("authn")).orElseThrow();
    assertThat(revived.state()).isEqualTo(S3State.ABSENT);
    assertThat(revived.tombstone()).isNull();
  }

  @Test
  void theMigrationTellsTombstonesWrittenBeforeItApartByTheirErrorText() throws SQLException {
    LedgerSettings settings = newDatabase().build();
    try (HikariDataSource pool = migratedTo(settings, "7.10");
        Connection c = pool.getConnection();
        Statement insert = c.createStatement()) {
      insert.executeUpdate(oldRow("authn", "deleted", "'verify: access mode authenticated'"));
      insert.executeUpdate(oldRow("removed", "deleted", "'destroyed through the Upload API'"));
      insert.executeUpdate(oldRow("live", "verified", "NULL"));

      try (Ledger migrated = Ledger.open(settings)) {
        Documents documents = migrated.documents();
        assertThat(documents.find(key("authn")).orElseThrow().tombstone())
            .isEqualTo(TombstoneReason.ACCESS_CONTROLLED);
        assertThat(documents.find(key("removed")).orElseThrow().tombstone())
            .isEqualTo(TombstoneReason.REMOVED);
        assertThat(documents.find(key("live")).orElseThrow().tombstone()).isNull();
      }
    }
  }

  /** An INSERT of a row as the ledger wrote it before the tombstone reason had a column. */
  private static String oldRow(String publicId, String state, String lastError) {
    return "INSERT INTO documents (cloud, resource_type, delivery_type, public_id, format,"
        + " cloudinary_version, bytes, s3_state, s3_version, last_error, created_at, updated_at)"
        + " VALUES ('demo', 'image', 'upload', '"
        + publicId
        + "', 'pdf', 100, 1234, '"
        + state
        + "', 100, "
        + lastError
        + ", CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)";
  }

  @Test
  void findByPublicIdsReturnsEveryDeliveryType() {
    Documents documents = ledger.documents();
    documents.upsert(asset("x", 1, null), UpsertOrigin.LISTING);
    LedgerKey privateX = new LedgerKey("demo", "image", "private", "x");
    documents.upsert(new CloudinaryAsset(privateX, "pdf", 1, null, 1), UpsertOrigin.LISTING);
    documents.upsert(asset("y", 1, null), UpsertOrigin.LISTING);
    documents.upsert(
        new CloudinaryAsset(new LedgerKey("demo", "raw", "upload", "x"), null, 1, null, 1),
        UpsertOrigin.LISTING);

    assertThat(documents.findByPublicIds("demo", "image", List.of("x", "missing")))
        .extracting(DocumentRecord::key)
        .containsExactlyInAnyOrder(key("x"), privateX);
  }
}
