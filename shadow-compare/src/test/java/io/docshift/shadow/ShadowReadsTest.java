package io.docshift.shadow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docshift.core.config.StoreSettings;
import io.docshift.core.key.DocumentKey;
import io.docshift.core.outcome.Backend;
import io.docshift.core.outcome.Outcome;
import io.docshift.core.store.ByteRange;
import io.docshift.core.store.DocumentResponse;
import io.docshift.core.store.StoreException;
import io.docshift.ledger.MismatchRecord;
import io.docshift.ledger.MismatchSource;
import io.docshift.ledger.S3State;
import io.docshift.read.Served;
import io.docshift.sandbox.emulator.StoredAsset;
import io.docshift.stores.cloudinary.CloudinaryDocumentStore;
import io.docshift.testkit.CloudinaryEmulatorExtension;
import io.docshift.testkit.EmbeddedS3Extension;
import io.docshift.testkit.EmulatedAssets;
import io.docshift.testkit.Eventually;
import io.docshift.testkit.SlowSubscriber;
import io.docshift.testkit.TestBodies;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Shadow reads over the real emulator, S3Proxy and H2 ledger: what is compared, what is ignored and
 * why, and what a mismatch changes. The client's side of each read is consumed in full and must be
 * exactly what the primary store holds.
 */
class ShadowReadsTest {
  @RegisterExtension
  static final CloudinaryEmulatorExtension CLD = new CloudinaryEmulatorExtension();

  @RegisterExtension static final EmbeddedS3Extension S3 = new EmbeddedS3Extension();

  static final String PDF = "application/pdf";
  static ShadowFixture fx;

  @BeforeAll
  static void start() {
    // One slot: a path that forgot to give its slot back would make the next test's reads shed.
    fx = new ShadowFixture(CLD.emulator(), S3.s3(), s -> s.maxConcurrent(1));
  }

  @AfterAll
  static void stop() {
    fx.close();
  }

  @BeforeEach
  void reset() {
    fx.weight(0);
    fx.shadowPercent(100);
    fx.tally.clear();
  }

  private StoredAsset copied(String name, byte[] bytes) throws Exception {
    StoredAsset a = fx.seedRaw("shadow/" + name + ".pdf", bytes);
    fx.copyToS3(a, bytes, PDF);
    return a;
  }

  /**
   * A read Cloudinary served (weight 0) is compared with its verified S3 copy; one S3 served
   * (weight 100) with Cloudinary.
   */
  @ParameterizedTest(name = "{0} at weight {1}")
  @CsvSource({"CLOUDINARY, 0, matched-cld, 300000, 1", "S3, 100, matched-s3, 120000, 2"})
  void aReadIsComparedWithTheOtherStoreWhicheverServedIt(
      Backend servedBy, int weight, String name, int length, long seed) throws Exception {
    byte[] bytes = TestBodies.random(length, seed);
    StoredAsset a = copied(name, bytes);
    fx.weight(weight);

    ShadowFixture.Read read = fx.read(a);

    assertThat(read.served().backend()).isEqualTo(servedBy);
    assertThat(read.body()).isEqualTo(bytes);
    assertThat(fx.tally.awaitTotal(1))
        .containsExactlyEntriesOf(java.util.Map.of("matched/none", 1));
  }

  @Test
  void oneCorruptedByteInS3IsFlaggedRoutedAwayAndQueuedForRepair() throws Exception {
    byte[] bytes = TestBodies.random(200_000, 3);
    StoredAsset a = copied("corrupted", bytes);
    byte[] corrupted = bytes.clone();
    corrupted[100_000] ^= 0x01;
    fx.tamper(a, bytes, corrupted, PDF);
    long queued = fx.ledger.outbox().stats().depth();

    ShadowFixture.Read read = fx.read(a);

    assertThat(read.served().backend()).isEqualTo(Backend.CLOUDINARY);
    assertThat(read.body()).isEqualTo(bytes);
    assertThat(fx.tally.awaitTotal(1))
        .containsExactlyEntriesOf(java.util.Map.of("mismatched/none", 1));
    awaitState(a, S3State.MISMATCH);
    MismatchRecord sample = awaitSample(a);
    assertThat(sample.sample().source()).isEqualTo(MismatchSource.SHADOW);
    assertThat(sample.sample().key()).isEqualTo(EmulatedAssets.ledgerKey(a));
    assertThat(sample.sample().reason()).isEqualTo(Comparison.CHECKSUM);
    assertThat(sample.sample().cloudinary().md5()).isEqualTo(TestBodies.md5Hex(bytes));
    assertThat(sample.sample().s3().md5()).isEqualTo(TestBodies.md5Hex(corrupted));
    assertThat(sample.sample().s3().bytes()).isEqualTo((long) bytes.length);
    assertThat(fx.ledger.outbox().stats().depth()).isEqualTo(queued + 1);
    assertThat(fx.copies.servable(ShadowFixture.key(a)).get(5, TimeUnit.SECONDS)).isFalse();

    fx.weight(100);
    ShadowFixture.Read after = fx.read(a);
    assertThat(after.served().backend()).isEqualTo(Backend.CLOUDINARY);
    assertThat(after.body()).isEqualTo(bytes);
    assertThat(fx.tally.awaitTotal(2)).containsEntry("ignored/unverified", 1);
  }

  @Test
  void aDocumentCloudinaryNoLongerHoldsWhileS3StillServesItIsAStatusMismatch() throws Exception {
    byte[] bytes = TestBodies.random(50_000, 4);
    StoredAsset a = copied("gone-from-cloudinary", bytes);
    try (CloudinaryDocumentStore admin =
        CloudinaryDocumentStore.builder(StoreSettings.cloudinaryAccount(fx.config.cloudinary()))
            .build()) {
      assertThat(admin.delete(ShadowFixture.key(a)).get(30, TimeUnit.SECONDS)).isTrue();
    }

    assertThatThrownBy(() -> fx.store.getServed(ShadowFixture.key(a), Optional.empty()).get())
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(
            StoreException.class, e -> assertThat(e.outcome()).isEqualTo(Outcome.NOT_FOUND));

    assertThat(fx.tally.awaitTotal(1))
        .containsExactlyEntriesOf(java.util.Map.of("mismatched/none", 1));
    awaitState(a, S3State.MISMATCH);
    MismatchRecord sample = awaitSample(a);
    assertThat(sample.sample().reason()).isEqualTo(Comparison.STATUS);
    assertThat(sample.sample().cloudinary().status()).isEqualTo(404);
    assertThat(sample.sample().s3().status()).isEqualTo(200);
  }

  @Test
  void documentsWithoutAVerifiedS3CopyAreIgnoredAsUnverified() throws Exception {
    byte[] bytes = TestBodies.random(10_000, 5);
    StoredAsset a = fx.seedRaw("shadow/not-copied.pdf", bytes);

    assertThat(fx.read(a).body()).isEqualTo(bytes);

    assertThat(fx.tally.awaitTotal(1))
        .containsExactlyEntriesOf(java.util.Map.of("ignored/unverified", 1));
  }

  @Test
  void rangesAreIgnoredAndMetadataReadsAreNotShadowed() throws Exception {
    byte[] bytes = TestBodies.random(40_000, 6);
    StoredAsset a = copied("range", bytes);
    DocumentKey key = ShadowFixture.key(a);

    fx.store.headServed(key).get(30, TimeUnit.SECONDS);
    Served<DocumentResponse> part =
        fx.store.getServed(key, Optional.of(ByteRange.closed(0, 99))).get(30, TimeUnit.SECONDS);
    byte[] first = SlowSubscriber.readAll(part.value().body(), Duration.ofSeconds(30)).bytes();
    fx.read(a);

    assertThat(first).hasSize(100);
    assertThat(fx.tally.awaitTotal(2))
        .containsExactlyInAnyOrderEntriesOf(
            java.util.Map.of("ignored/range", 1, "matched/none", 1));
  }

  @Test
  void aClientThatLeavesBeforeTheEndIsIgnoredAsIncomplete() throws Exception {
    byte[] bytes = TestBodies.random(500_000, 7);
    StoredAsset a = copied("client-gone", bytes);

    fx.store
        .getServed(ShadowFixture.key(a), Optional.empty())
        .get(30, TimeUnit.SECONDS)
        .value()
        .discard();

    assertThat(fx.tally.awaitTotal(1))
        .containsExactlyEntriesOf(java.util.Map.of("ignored/incomplete", 1));
  }

  @Test
  void unsampledReadsAreNeitherShadowedNorCounted() throws Exception {
    byte[] bytes = TestBodies.random(20_000, 8);
    StoredAsset a = copied("unsampled", bytes);
    fx.shadowPercent(0);
    assertThat(fx.read(a).body()).isEqualTo(bytes);
    fx.shadowPercent(100);
    assertThat(fx.read(a).body()).isEqualTo(bytes);

    assertThat(fx.tally.awaitTotal(1))
        .containsExactlyEntriesOf(java.util.Map.of("matched/none", 1));
  }

  private void awaitState(StoredAsset a, S3State expected) throws InterruptedException {
    Eventually.until(
        Duration.ofSeconds(10),
        () -> fx.ledger.documents().find(EmulatedAssets.ledgerKey(a)).orElseThrow().state(),
        state -> state == expected,
        "state " + expected);
  }

  private MismatchRecord awaitSample(StoredAsset a) throws InterruptedException {
    List<MismatchRecord> samples =
        Eventually.until(
            Duration.ofSeconds(10),
            () ->
                fx.ledger.mismatches().latest(100).stream()
                    .filter(r -> r.sample().key().equals(EmulatedAssets.ledgerKey(a)))
                    .toList(),
            found -> !found.isEmpty(),
            "a mismatch sample");
    assertThat(samples).hasSize(1);
    return samples.get(0);
  }
}
