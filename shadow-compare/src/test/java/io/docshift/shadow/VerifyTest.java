package io.docshift.shadow;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.core.config.StoreSettings;
import io.docshift.ledger.MismatchSource;
import io.docshift.ledger.S3State;
import io.docshift.sandbox.emulator.StoredAsset;
import io.docshift.stores.cloudinary.CloudinaryDocumentStore;
import io.docshift.stores.s3.S3DocumentStore;
import io.docshift.stores.s3.S3Inventory;
import io.docshift.testkit.CloudinaryEmulatorExtension;
import io.docshift.testkit.EmbeddedS3Extension;
import io.docshift.testkit.EmulatedAssets;
import io.docshift.testkit.TestBodies;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The verify walk against the real emulator, S3Proxy and H2 ledger, with one document of every kind
 * of damage: cheap and deep mode see the same differences, the ledger stops S3 serving what
 * differs, a repair fixes all that can be fixed and a second walk is clean but for the extra.
 */
class VerifyTest {
  @RegisterExtension
  static final CloudinaryEmulatorExtension CLD = new CloudinaryEmulatorExtension();

  @RegisterExtension static final EmbeddedS3Extension S3 = new EmbeddedS3Extension();

  static final String PDF = "application/pdf";
  static ShadowFixture fx;
  static CloudinaryDocumentStore cloudinary;
  static S3DocumentStore s3;
  static S3Inventory bucket;
  static StoredAsset clean;
  static StoredAsset corrupted;
  static StoredAsset shortened;
  static StoredAsset missing;
  static StoredAsset destroyed;
  static String extraKey;

  @TempDir static Path spool;

  @BeforeAll
  static void damage() throws Exception {
    fx = new ShadowFixture(CLD.emulator(), S3.s3(), UnaryOperator.identity());
    cloudinary =
        CloudinaryDocumentStore.builder(StoreSettings.cloudinaryAccount(fx.config.cloudinary()))
            .build();
    s3 = S3DocumentStore.create(StoreSettings.s3(fx.config.s3()).build());
    bucket = S3Inventory.create(StoreSettings.s3(fx.config.s3()).build());
    clean = copied("clean", 70_000, 1);
    byte[] original = TestBodies.random(60_000, 2);
    corrupted = copied("corrupted", original);
    byte[] flipped = original.clone();
    flipped[12_345] ^= 0x40;
    fx.tamper(corrupted, original, flipped, PDF);
    byte[] whole = TestBodies.random(50_000, 3);
    shortened = copied("shortened", whole);
    fx.tamper(shortened, whole, java.util.Arrays.copyOf(whole, 49_999), PDF);
    missing = copied("missing", 40_000, 4);
    s3.delete(ShadowFixture.key(missing)).get();
    destroyed = copied("destroyed", 30_000, 5);
    fx.ledger
        .documents()
        .markDeleted(EmulatedAssets.ledgerKey(destroyed), "destroyed via upload API");
    StoredAsset stranger = fx.seedRaw("verify/stranger.pdf", TestBodies.random(10, 6));
    extraKey = ShadowFixture.key(stranger).s3Key(fx.config.s3().keyPrefix());
    fx.tamper(stranger, TestBodies.random(10, 6), TestBodies.random(10, 6), PDF);
  }

  @AfterAll
  static void stop() {
    bucket.close();
    s3.close();
    cloudinary.close();
    fx.close();
  }

  private static StoredAsset copied(String name, int size, long seed) throws Exception {
    return copied(name, TestBodies.random(size, seed));
  }

  private static StoredAsset copied(String name, byte[] bytes) throws Exception {
    StoredAsset a = fx.seedRaw("verify/" + name + ".pdf", bytes);
    fx.copyToS3(a, bytes, PDF);
    return a;
  }

  record Walk(VerifyReport report, List<Finding> findings) {
    Map<String, FindingKind> byDocument() {
      return findings.stream()
          .collect(Collectors.toMap(f -> f.s3Key(), Finding::kind, (a, b) -> a));
    }
  }

  private static Walk walk(VerifyOptions options) throws Exception {
    List<Finding> findings = new CopyOnWriteArrayList<>();
    VerifyReport report =
        fx.verify(options.withSpoolDir(spool), "verify/", cloudinary, s3, bucket, findings::add);
    return new Walk(report, findings);
  }

  private static String s3Key(StoredAsset a) {
    return ShadowFixture.key(a).s3Key(fx.config.s3().keyPrefix());
  }

  private static Map<String, FindingKind> expectedDamage(FindingKind corruption) {
    return Map.of(
        s3Key(corrupted),
        corruption,
        s3Key(shortened),
        FindingKind.SIZE_DIFFERS,
        s3Key(missing),
        FindingKind.MISSING_IN_S3,
        s3Key(destroyed),
        FindingKind.TOMBSTONED_PRESENT,
        extraKey,
        FindingKind.EXTRA_IN_S3);
  }

  @Test
  void cheapAndDeepFindEveryKindOfDamageThenRepairLeavesOnlyTheExtra() throws Exception {
    Walk cheap = walk(VerifyOptions.defaults());
    assertThat(cheap.byDocument()).isEqualTo(expectedDamage(FindingKind.CHECKSUM_DIFFERS));
    assertThat(cheap.report().checked()).isEqualTo(5);
    assertThat(cheap.report().complete()).isTrue();
    assertThat(cheap.report().unrepaired()).isEqualTo(5);
    assertThat(state(corrupted)).isEqualTo(S3State.MISMATCH);
    assertThat(state(shortened)).isEqualTo(S3State.MISMATCH);
    assertThat(state(clean)).isEqualTo(S3State.VERIFIED);
    assertThat(fx.ledger.mismatches().latest(100))
        .anySatisfy(
            r -> {
              assertThat(r.sample().key()).isEqualTo(EmulatedAssets.ledgerKey(corrupted));
              assertThat(r.sample().source()).isEqualTo(MismatchSource.VERIFY);
            });

    Walk deep = walk(VerifyOptions.defaults().withDeep(true));
    assertThat(deep.byDocument()).isEqualTo(expectedDamage(FindingKind.CHECKSUM_DIFFERS));

    Walk repair = walk(VerifyOptions.defaults().withRepair(true));
    assertThat(repair.findings())
        .filteredOn(f -> f.kind() != FindingKind.EXTRA_IN_S3)
        .hasSize(4)
        .allSatisfy(f -> assertThat(f.repaired()).as(f.toString()).isTrue());
    assertThat(repair.report().unrepaired()).isEqualTo(1);

    Walk after = walk(VerifyOptions.defaults().withDeep(true));
    assertThat(after.byDocument()).isEqualTo(Map.of(extraKey, FindingKind.EXTRA_IN_S3));
    for (StoredAsset a : List.of(clean, corrupted, shortened, missing)) {
      assertThat(state(a)).as(a.publicId()).isEqualTo(S3State.VERIFIED);
    }
    assertThat(state(destroyed)).isEqualTo(S3State.DELETED);
  }

  private static S3State state(StoredAsset a) {
    return fx.ledger.documents().find(EmulatedAssets.ledgerKey(a)).orElseThrow().state();
  }
}
