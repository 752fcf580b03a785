package io.docshift.shadow;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.core.config.StoreSettings;
import io.docshift.core.store.DocumentMeta;
import io.docshift.core.store.DocumentResponse;
import io.docshift.ledger.DocumentRecord;
import io.docshift.ledger.S3State;
import io.docshift.sandbox.emulator.StoredAsset;
import io.docshift.stores.cloudinary.CloudinaryDocumentStore;
import io.docshift.stores.s3.S3DocumentStore;
import io.docshift.stores.s3.S3Inventory;
import io.docshift.testkit.CloudinaryEmulatorExtension;
import io.docshift.testkit.EmbeddedS3Extension;
import io.docshift.testkit.EmulatedAssets;
import io.docshift.testkit.SlowSubscriber;
import io.docshift.testkit.TestBodies;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The verify walk over copies the copier streamed, whose S3 metadata has no sha256 (the ledger has
 * it), against the real emulator, S3Proxy and H2 ledger: such a copy is consistent, and the same
 * copy with its bytes replaced behind DocShift's back is a difference, whatever its metadata says.
 */
class VerifyStreamedTest {
  @RegisterExtension
  static final CloudinaryEmulatorExtension CLD = new CloudinaryEmulatorExtension();

  @RegisterExtension static final EmbeddedS3Extension S3 = new EmbeddedS3Extension();

  static final String PDF = "application/pdf";

  @TempDir Path spool;
  ShadowFixture fx;
  CloudinaryDocumentStore cloudinary;
  S3DocumentStore s3;
  S3Inventory bucket;

  @BeforeEach
  void open() {
    fx = new ShadowFixture(CLD.emulator(), S3.s3(), UnaryOperator.identity());
    cloudinary =
        CloudinaryDocumentStore.builder(StoreSettings.cloudinaryAccount(fx.config.cloudinary()))
            .build();
    s3 = S3DocumentStore.create(StoreSettings.s3(fx.config.s3()).build());
    bucket = S3Inventory.create(StoreSettings.s3(fx.config.s3()).build());
  }

  @AfterEach
  void close() {
    bucket.close();
    s3.close();
    cloudinary.close();
    fx.close();
  }

  /**
   * A repair of documents listed but missing in S3 streams them. Both walks find them consistent;
   * one whose bytes are then replaced behind DocShift's back (its metadata kept) is a checksum
   * difference to both, no longer trusted, and a repair streams Cloudinary's bytes again.
   */
  @Test
  void streamedCopiesAreConsistentAndTheirReplacedBytesAreAMismatch() throws Exception {
    byte[] keptBytes = TestBodies.random(45_000, 7);
    byte[] replacedBytes = TestBodies.random(80_000, 8);
    StoredAsset kept = listed("streamed/kept.pdf", keptBytes);
    StoredAsset replaced = listed("streamed/replaced.pdf", replacedBytes);

    List<Finding> copying = walk(VerifyOptions.defaults().withRepair(true));
    assertThat(copying).hasSize(2).allSatisfy(f -> assertThat(f.repaired()).isTrue());
    assertStreamed(kept, keptBytes);
    assertStreamed(replaced, replacedBytes);
    assertThat(walk(VerifyOptions.defaults())).isEmpty();
    assertThat(walk(VerifyOptions.defaults().withDeep(true))).isEmpty();
    assertThat(state(kept)).isEqualTo(S3State.VERIFIED);

    byte[] flipped = replacedBytes.clone();
    flipped[40_000] ^= 0x01;
    fx.replaceKeepingMetadata(replaced, flipped, PDF);
    Map<String, FindingKind> damage = Map.of(s3Key(replaced), FindingKind.CHECKSUM_DIFFERS);
    assertThat(byDocument(walk(VerifyOptions.defaults()))).isEqualTo(damage);
    assertThat(state(replaced)).isEqualTo(S3State.MISMATCH);
    assertThat(state(kept)).isEqualTo(S3State.VERIFIED);
    assertThat(byDocument(walk(VerifyOptions.defaults().withDeep(true)))).isEqualTo(damage);

    List<Finding> repair = walk(VerifyOptions.defaults().withRepair(true));
    assertThat(repair).singleElement().satisfies(f -> assertThat(f.repaired()).isTrue());
    assertStreamed(replaced, replacedBytes);
    assertThat(walk(VerifyOptions.defaults().withDeep(true))).isEmpty();
  }

  /** A document in Cloudinary whose listing the ledger has, not yet copied. */
  private StoredAsset listed(String publicId, byte[] bytes) {
    StoredAsset a = fx.seedRaw(publicId, bytes);
    EmulatedAssets.list(fx.ledger, a);
    return a;
  }

  /** S3 holds {@code bytes} as a streamed copy: md5 and version, no sha256; the ledger has it. */
  private void assertStreamed(StoredAsset a, byte[] bytes) throws Exception {
    DocumentMeta meta = s3.head(ShadowFixture.key(a)).get(30, TimeUnit.SECONDS);
    assertThat(meta.md5Hex()).contains(a.etag());
    assertThat(meta.version()).hasValue(a.version());
    assertThat(meta.sha256Hex()).as("no sha256 metadata on a streamed copy").isEmpty();
    DocumentResponse held =
        s3.get(ShadowFixture.key(a), Optional.empty()).get(30, TimeUnit.SECONDS);
    assertThat(SlowSubscriber.readAll(held.body(), Duration.ofSeconds(30)).bytes())
        .isEqualTo(bytes);
    DocumentRecord row = fx.ledger.documents().find(EmulatedAssets.ledgerKey(a)).orElseThrow();
    assertThat(row.state()).isEqualTo(S3State.VERIFIED);
    assertThat(row.s3().sha256()).isEqualTo(TestBodies.sha256Hex(bytes));
  }

  private List<Finding> walk(VerifyOptions options) throws Exception {
    List<Finding> findings = new CopyOnWriteArrayList<>();
    VerifyReport report =
        fx.verify(options.withSpoolDir(spool), "streamed/", cloudinary, s3, bucket, findings::add);
    assertThat(report.complete()).isTrue();
    return findings;
  }

  private static Map<String, FindingKind> byDocument(List<Finding> findings) {
    return findings.stream().collect(Collectors.toMap(Finding::s3Key, Finding::kind));
  }

  private String s3Key(StoredAsset a) {
    return ShadowFixture.key(a).s3Key(fx.config.s3().keyPrefix());
  }

  private S3State state(StoredAsset a) {
    return fx.ledger.documents().find(EmulatedAssets.ledgerKey(a)).orElseThrow().state();
  }
}
