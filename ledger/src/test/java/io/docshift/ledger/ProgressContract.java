package io.docshift.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.ledger.MismatchSample.Observation;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link MigrationProgress} (tallies, folders, pace) and {@link DocumentTrails}. */
abstract class ProgressContract extends LedgerFixture {
  static final String MD5 = "0cc175b9c0f1b6a831c399e269772661";
  static final String SHA = "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb";

  private void seed(String publicId, long bytes) {
    ledger
        .documents()
        .upsert(new CloudinaryAsset(key(publicId), "pdf", 1, MD5, bytes), UpsertOrigin.LISTING);
  }

  private void verify(String publicId) {
    ledger.documents().markCopiedAndVerified(key(publicId), 1, MD5, SHA);
  }

  @Test
  void tallyCountsDocumentsAndBytesPerState() {
    seed("a/1", 100);
    seed("a/2", 200);
    seed("b/1", 400);
    verify("a/2");

    MigrationProgress.Tally tally = ledger.progress().tally();

    assertThat(tally.documents().get(S3State.ABSENT)).isEqualTo(2);
    assertThat(tally.documents().get(S3State.VERIFIED)).isEqualTo(1);
    assertThat(tally.documents().get(S3State.DELETED)).isZero();
    assertThat(tally.bytes().get(S3State.ABSENT)).isEqualTo(500);
    assertThat(tally.bytes().get(S3State.VERIFIED)).isEqualTo(200);
  }

  @Test
  void foldersAreTheFirstPathSegmentInNameOrderAndLimited() {
    seed("root-doc", 1);
    seed("b/x/deep", 10);
    seed("b/y", 20);
    seed("a/z", 40);
    verify("b/y");

    List<MigrationProgress.Folder> all = ledger.progress().byFolder("demo", 10);
    assertThat(all).extracting(MigrationProgress.Folder::name).containsExactly("", "a", "b");
    MigrationProgress.Tally b = all.get(2).tally();
    assertThat(b.documents().get(S3State.ABSENT)).isEqualTo(1);
    assertThat(b.documents().get(S3State.VERIFIED)).isEqualTo(1);
    assertThat(b.bytes().get(S3State.VERIFIED)).isEqualTo(20);

    assertThat(ledger.progress().byFolder("demo", 2))
        .extracting(MigrationProgress.Folder::name)
        .containsExactly("", "a");
    assertThat(ledger.progress().byFolder("other-cloud", 2)).isEmpty();
  }

  @Test
  void paceCountsDocumentsVerifiedWithinTheWindow() {
    seed("old", 1);
    seed("new", 1);
    verify("old");
    clock.advance(Duration.ofMinutes(10));
    verify("new");
    clock.advance(Duration.ofMinutes(1));

    assertThat(ledger.progress().verifiedWithin(Duration.ofMinutes(5))).isEqualTo(1);
    assertThat(ledger.progress().verifiedWithin(Duration.ofMinutes(20))).isEqualTo(2);
  }

  @Test
  void trailsAreReadForManyDocumentsAtOnce() {
    seed("a", 1);
    seed("b", 1);
    ledger.outbox().enqueue(key("a"), RepairOperation.PUT, "dual-write failed");
    Observation seen = new Observation(200, 1L, MD5, null);
    ledger
        .mismatches()
        .record(new MismatchSample(key("b"), MismatchSource.SHADOW, "md5 differs", seen, seen));
    ledger.trails().recordAction("alice", "repair", key("b"), "{\"repaired\":true}", "ticket");
    ledger.audit().append("bob", "traffic.update", "a", "b", null);

    List<LedgerKey> keys = List.of(key("a"), key("b"), key("c"));
    Map<LedgerKey, List<RepairTask>> repairs = ledger.trails().repairs(keys);
    Map<LedgerKey, List<MismatchRecord>> mismatches = ledger.trails().mismatches(keys);
    Map<LedgerKey, List<AuditEvent>> actions = ledger.trails().actions(keys);

    assertThat(repairs.keySet()).containsExactly(key("a"));
    assertThat(repairs.get(key("a")).get(0).reason()).isEqualTo("dual-write failed");
    assertThat(mismatches.keySet()).containsExactly(key("b"));
    assertThat(actions.keySet()).containsExactly(key("b"));
    AuditEvent action = actions.get(key("b")).get(0);
    assertThat(action.actor()).isEqualTo("alice");
    assertThat(action.action()).isEqualTo("document.repair");
    assertThat(action.reason()).isEqualTo("ticket");
    assertThat(ledger.trails().actions(List.of())).isEmpty();
  }

  @Test
  void pagesWalkBackwardFromACursor() {
    for (int i = 1; i <= 5; i++) {
      seed("p/" + i, i);
    }
    List<DocumentRecord> forward = ledger.documents().pageByPrefix("demo", "p/", null, 0, 10);
    long third = forward.get(2).id();

    List<DocumentRecord> before =
        ledger.documents().pageByPrefixBefore("demo", "p/", null, third, 10);
    assertThat(before).extracting(r -> r.key().publicId()).containsExactly("p/2", "p/1");
    assertThat(ledger.documents().pageByPrefixBefore("demo", "p/", null, Long.MAX_VALUE, 2))
        .extracting(r -> r.key().publicId())
        .containsExactly("p/5", "p/4");
  }

  @Test
  void auditPagesFilterByActorAndActionPrefixBothWays() {
    AuditLog audit = ledger.audit();
    AuditEvent first = audit.append("alice", "traffic.update", null, null, "1");
    audit.append("bob", "traffic.update", null, null, "2");
    audit.append("alice", "document.repair", "k", null, "3");
    audit.append("alice", "traffic.resume", null, null, "4");

    assertThat(audit.page("alice", "traffic.", Long.MAX_VALUE, false, 10))
        .extracting(AuditEvent::reason)
        .containsExactly("4", "1");
    assertThat(audit.page(null, "document.", Long.MAX_VALUE, false, 10))
        .extracting(AuditEvent::reason)
        .containsExactly("3");
    assertThat(audit.page("alice", null, first.id(), true, 10))
        .extracting(AuditEvent::reason)
        .containsExactly("3", "4");
    // LIKE's wildcards in the prefix are taken literally.
    assertThat(audit.page(null, "traffic_", Long.MAX_VALUE, false, 10)).isEmpty();
  }

  @Test
  void mismatchesPageForwardAfterAnId() {
    Observation seen = new Observation(200, 1L, MD5, null);
    for (int i = 1; i <= 3; i++) {
      ledger
          .mismatches()
          .record(new MismatchSample(key("m" + i), MismatchSource.VERIFY, "r" + i, seen, seen));
    }
    List<MismatchRecord> newest = ledger.mismatches().latest(3);
    long oldest = newest.get(2).id();

    assertThat(ledger.mismatches().after(oldest, 10))
        .extracting(m -> m.sample().reason())
        .containsExactly("r2", "r3");
    assertThat(ledger.mismatches().after(0, 1))
        .extracting(m -> m.sample().reason())
        .containsExactly("r1");
  }
}
