package io.docshift.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.ledger.MismatchSample.Observation;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Checkpoints, the audit trail and mismatch samples. */
abstract class RecordsContract extends LedgerFixture {
  private static final CheckpointKey IMAGES = new CheckpointKey("demo", "image", "upload", "");
  private static final CheckpointKey RAW = new CheckpointKey("demo", "raw", "", "docs/");

  @Test
  void checkpointsAreWrittenReplacedAndListed() {
    Checkpoints checkpoints = ledger.checkpoints();
    assertThat(checkpoints.get(IMAGES)).isEmpty();

    checkpoints.put(IMAGES, "cursor-1", false);
    clock.advance(Duration.ofSeconds(1));
    checkpoints.put(IMAGES, "cursor-2", false);
    checkpoints.put(RAW, null, true);

    assertThat(checkpoints.get(IMAGES))
        .contains(new Checkpoint(IMAGES, "cursor-2", false, START.plusSeconds(1)));
    assertThat(checkpoints.list())
        .extracting(Checkpoint::key, Checkpoint::cursor, Checkpoint::completed)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(IMAGES, "cursor-2", false),
            org.assertj.core.groups.Tuple.tuple(RAW, null, true));
  }

  @Test
  void auditEventsComeBackNewestFirstAndLimited() {
    AuditLog audit = ledger.audit();
    audit.append(
        "alice", "traffic.update", "{\"s3ReadPercent\":0}", "{\"s3ReadPercent\":10}", "ramp");
    clock.advance(Duration.ofSeconds(1));
    AuditEvent revert = audit.append("auto-revert", "traffic.revert", null, null, "5xx over 2 %");
    audit.append("bob", "traffic.resume", null, null, null);

    List<AuditEvent> latest = audit.latest(2);
    assertThat(latest)
        .extracting(AuditEvent::action)
        .containsExactly("traffic.resume", "traffic.revert");
    assertThat(latest.get(1)).isEqualTo(revert);
    assertThat(audit.latest(10).get(2).before()).isEqualTo("{\"s3ReadPercent\":0}");
    assertThat(audit.latest(10).get(2).occurredAt()).isEqualTo(START);
  }

  @Test
  void mismatchSamplesKeepOnlyTheNewest() {
    Mismatches mismatches = ledger.mismatches();
    for (int i = 0; i < MISMATCH_LIMIT + 2; i++) {
      mismatches.record(sample("doc" + i));
      clock.advance(Duration.ofSeconds(1));
    }

    assertThat(mismatches.count()).isEqualTo(MISMATCH_LIMIT);
    List<MismatchRecord> latest = mismatches.latest(10);
    assertThat(latest)
        .extracting(r -> r.sample().key().publicId())
        .containsExactly("doc4", "doc3", "doc2");
    assertThat(latest.get(0).sample()).isEqualTo(sample("doc4"));
    assertThat(latest.get(0).detectedAt()).isEqualTo(START.plusSeconds(4));
    assertThat(mismatches.latest(1)).hasSize(1);
  }

  private static MismatchSample sample(String publicId) {
    return new MismatchSample(
        key(publicId),
        MismatchSource.SHADOW,
        "md5 differs",
        new Observation(200, 1234L, "aa", "bb"),
        new Observation(404, null, null, null));
  }

  @Test
  void auditEventsPageBackByIdBefore() {
    AuditLog audit = ledger.audit();
    AuditEvent one = audit.append("t", "traffic.set", null, null, "one");
    AuditEvent two = audit.append("t", "traffic.set", null, null, "two");
    audit.append("t", "traffic.set", null, null, "three");

    List<AuditEvent> page = audit.before(Long.MAX_VALUE, 2);
    assertThat(page).extracting(AuditEvent::reason).containsExactly("three", "two");
    assertThat(audit.before(two.id(), 2)).extracting(AuditEvent::id).containsExactly(one.id());
  }
}
