package io.docshift.traffic.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docshift.core.config.WriteMode;
import io.docshift.ledger.AuditEvent;
import io.docshift.traffic.TrafficState;
import io.docshift.traffic.revert.TripRule;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrafficControlTest extends TrafficFixture {

  @Test
  void aChangeIsStoredServedAndAuditedWithWhoFromWhatToWhatAndWhy() {
    TrafficControl control = control();
    TrafficUpdate update =
        control.set(TrafficChange.builder().s3ReadPercent(25).build(), "alice", "ramp down");

    assertThat(update.after().traffic().s3ReadPercent()).isEqualTo(25);
    assertThat(control.current().s3ReadPercent()).isEqualTo(25);
    assertThat(store.read().traffic().s3ReadPercent()).isEqualTo(25);
    AuditEvent event = ledger.audit().latest(1).get(0);
    assertThat(event.actor()).isEqualTo("alice");
    assertThat(event.action()).isEqualTo("traffic.set");
    assertThat(event.before()).contains("\"s3ReadPercent\":50");
    assertThat(event.after()).contains("\"s3ReadPercent\":25");
    assertThat(event.reason()).isEqualTo("ramp down");
  }

  @Test
  void invalidValuesAreRefusedWithTheirNameAndNothingChanges() {
    TrafficControl control = control();
    assertThatThrownBy(() -> TrafficChange.builder().s3ReadPercent(130).shadowPercent(-1).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("s3ReadPercent: 130 (expected: 0..100); shadowPercent: -1 (expected: 0..100)");
    assertThatThrownBy(
            () -> control.set(TrafficChange.builder().s3ReadPercent(10).build(), "alice", " "))
        .hasMessageContaining("reason: empty");
    assertThatThrownBy(() -> control.set(TrafficChange.builder().build(), "alice", "why"))
        .hasMessageContaining("change: nothing");

    assertThat(store.read().revision()).isEqualTo(1);
    assertThat(control.current()).isEqualTo(INITIAL);
    assertThat(ledger.audit().latest(10)).isEmpty();
  }

  @Test
  void aTripRevertsThisInstanceBeforeAnythingIsStoredThenStoresAndAuditsIt() {
    TrafficControl control = control();
    fail(control, 3);

    // Detection to revert on this instance: no I/O in between.
    assertThat(control.current())
        .isEqualTo(new TrafficState(0, WriteMode.DUAL_CLOUDINARY_PRIMARY, 5));
    assertThat(store.read().tripped()).isFalse();
    assertThat(trips).containsExactly("CONSECUTIVE_FAILURES");

    runBackground();
    TrafficControlState stored = store.read();
    assertThat(stored.tripped()).isTrue();
    assertThat(stored.traffic())
        .isEqualTo(new TrafficState(0, WriteMode.DUAL_CLOUDINARY_PRIMARY, 5));
    RevertLatch latch = stored.latch();
    assertThat(latch.rule()).isEqualTo(TripRule.CONSECUTIVE_FAILURES);
    assertThat(latch.preTrip()).isEqualTo(INITIAL);
    assertThat(latch.window().failures()).isEqualTo(3);
    assertThat(latch.at()).isEqualTo(clock.instant());
    AuditEvent event = ledger.audit().latest(1).get(0);
    assertThat(event.actor()).isEqualTo("auto-revert");
    assertThat(event.action()).isEqualTo("traffic.auto-revert");
    assertThat(event.reason()).contains("3 S3 failures in a row");
    assertThat(event.after()).contains("\"tripped\":true", "\"preTrip\"");
  }

  @Test
  void whileTrippedReadsAndWritesCannotMoveButOtherDialsCan() {
    TrafficControl control = control(Runnable::run);
    fail(control, 3);

    assertThatThrownBy(
            () -> control.set(TrafficChange.builder().s3ReadPercent(10).build(), "bob", "retry"))
        .isInstanceOf(TrafficConflictException.class)
        .hasMessageContaining("auto-revert is latched")
        .hasMessageContaining("docshift traffic resume");
    assertThatThrownBy(
            () ->
                control.set(
                    TrafficChange.builder().writeMode(WriteMode.S3_ONLY).build(), "bob", "retry"))
        .isInstanceOf(TrafficConflictException.class);
    control.set(TrafficChange.builder().shadowPercent(20).build(), "bob", "look closer");

    assertThat(control.current())
        .isEqualTo(new TrafficState(0, WriteMode.DUAL_CLOUDINARY_PRIMARY, 20));
  }

  @Test
  void resumeRestoresThePreTripDialsClearsTheLatchAndResetsTheController() {
    TrafficControl control = control(Runnable::run);
    fail(control, 3);
    assertThat(control.guard().tripped()).isPresent();

    TrafficUpdate update = control.resume("carol", "S3 healthy again");

    assertThat(update.after().tripped()).isFalse();
    assertThat(update.after().resumeEpoch()).isEqualTo(update.before().resumeEpoch() + 1);
    assertThat(control.current()).isEqualTo(INITIAL);
    assertThat(control.guard().tripped()).isEmpty();
    assertThat(control.guard().snapshot().requests()).isZero();
    List<AuditEvent> events = ledger.audit().latest(2);
    assertThat(events)
        .extracting(AuditEvent::action)
        .containsExactly("traffic.resume", "traffic.auto-revert");
    assertThat(events.get(0).actor()).isEqualTo("carol");
  }

  @Test
  void aDryRunTripIsReportedAndAuditedButChangesNothing() {
    TrafficControl control = control(Runnable::run);
    control.set(TrafficChange.builder().dryRun(true).build(), "alice", "try the rules");
    fail(control, 3);

    assertThat(trips).containsExactly("CONSECUTIVE_FAILURES dry run");
    assertThat(control.current()).isEqualTo(INITIAL);
    assertThat(store.read().tripped()).isFalse();
    AuditEvent event = ledger.audit().latest(1).get(0);
    assertThat(event.action()).isEqualTo("traffic.auto-revert.dry-run");
    assertThat(event.reason()).endsWith("(dry run)");
  }

  @Test
  void changedRulesReachThisInstancesController() {
    TrafficControl control = control(Runnable::run);
    control.set(TrafficChange.builder().consecutiveFailures(0).build(), "alice", "noisy");
    assertThat(control.guard().settings().consecutiveFailures()).isZero();
    fail(control, 3); // rate rule: 3 calls are under the minimum volume of 4
    assertThat(control.current()).isEqualTo(INITIAL);
    fail(control, 1);
    assertThat(control.current().s3ReadPercent()).isZero();
  }

  @Test
  void aTripWhenAlreadyTrippedKeepsTheFirstLatchAndItsPreTripDials() {
    TrafficControl first = control(Runnable::run);
    TrafficControl second = control(Runnable::run);
    fail(first, 3);
    fail(second, 3);

    TrafficControlState stored = store.read();
    assertThat(stored.latch().preTrip()).isEqualTo(INITIAL);
    assertThat(ledger.audit().latest(10))
        .extracting(AuditEvent::action)
        .containsExactly("traffic.auto-revert");
  }

  @Test
  void anInstanceThatDidNotTripFollowsTheStoredTripAndTheResume() {
    TrafficControl tripping = control(Runnable::run);
    TrafficControl other = control(Runnable::run);
    fail(tripping, 3);
    assertThat(other.current()).isEqualTo(INITIAL); // cached, not yet refreshed

    other.refresh();
    assertThat(other.current().s3ReadPercent()).isZero();
    assertThat(other.state().tripped()).isTrue();

    other.resume("carol", "fixed");
    tripping.refresh();
    assertThat(tripping.current()).isEqualTo(INITIAL);
    assertThat(tripping.guard().tripped()).isEmpty();
  }

  @Test
  void theCacheRefreshesOnceHalfTheStalenessHasPassed() {
    TrafficControl reader = control(Runnable::run);
    TrafficControl writer = control(Runnable::run);
    writer.set(TrafficChange.builder().s3ReadPercent(75).build(), "alice", "ramp");

    nanos.addAndGet(java.time.Duration.ofMillis(499).toNanos());
    assertThat(reader.current().s3ReadPercent()).isEqualTo(50);
    nanos.addAndGet(java.time.Duration.ofMillis(2).toNanos());
    reader.current(); // triggers the refresh, which runs inline here
    assertThat(reader.current().s3ReadPercent()).isEqualTo(75);
  }
}
