package io.docshift.app.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cloudinary.Cloudinary;
import com.cloudinary.utils.ObjectUtils;
import io.docshift.core.config.WriteMode;
import io.docshift.ledger.DocumentRecord;
import io.docshift.ledger.S3State;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The write path driven by a real, unmodified Cloudinary Java SDK whose only change is {@code
 * upload_prefix}: every write mode, chunked {@code upload_large}, overwrites, destroy (not undone
 * by repair or backfill), the secondary store failing (acknowledged, queued, repaired), the primary
 * failing (its error, nothing in the secondary) and refused signatures. Uses only SDK API common to
 * the 1.x ({@code cloudinary-http44}) and 2.x ({@code cloudinary-http5}) lines, so each subclass
 * runs it on its own classpath (see the surefire executions in {@code app/pom.xml}).
 */
@Timeout(300)
abstract class UploadScenarios {
  private static final AtomicInteger IDS = new AtomicInteger();
  @RegisterExtension static final WriteRig rig = WriteRig.gated();

  @TempDir static Path dir;

  /** The SDK's uploader strategy class this run must see. */
  abstract String expectedStrategy();

  /** The other SDK line's strategy class, which must be absent. */
  abstract String absentStrategy();

  @Test
  void runsOnTheExpectedSdkLine() throws Exception {
    assertThat(Class.forName(expectedStrategy())).isNotNull();
    assertThatThrownBy(() -> Class.forName(absentStrategy()))
        .isInstanceOf(ClassNotFoundException.class);
  }

  @ParameterizedTest
  @EnumSource(WriteMode.class)
  void eachWriteModeStoresTheUploadWhereItShould(WriteMode mode) throws Exception {
    rig.mode(mode);
    Doc doc = Doc.image(id("modes", mode));
    byte[] body = Bodies.pdf(200_000, doc.seed());

    Map<?, ?> result = upload(sdk(), body, doc);

    assertThat(result.get("public_id")).isEqualTo(doc.publicId());
    assertThat(result.get("etag")).isEqualTo(Bodies.md5(body));
    assertThat(result.get("version")).isNotNull();
    StoreProbe stores = rig.stores();
    boolean inCloudinary = mode != WriteMode.S3_ONLY;
    boolean inS3 = mode != WriteMode.CLOUDINARY_ONLY;
    assertThat(stores.cloudinary(doc.path())).isEqualTo(inCloudinary ? body : null);
    assertThat(stores.s3(doc.path())).isEqualTo(inS3 ? body : null);
    assertThat(stores.outbox(doc.rt(), doc.publicId())).isEmpty();
    if (inS3) {
      assertVerified(doc, body, version(result));
    }
    if (mode == WriteMode.S3_ONLY) {
      assertThat(result.get("url").toString()).startsWith(rig.proxyUrl().toString());
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = WriteMode.class,
      names = {"DUAL_CLOUDINARY_PRIMARY", "DUAL_S3_PRIMARY"})
  void uploadLargeOf30MiBEndsWholeInBothStores(WriteMode mode) throws Exception {
    rig.mode(mode);
    Doc doc = Doc.raw(id("large", mode) + ".bin");
    byte[] body = Bodies.random(30 * 1024 * 1024, doc.seed());
    Path file = Files.write(dir.resolve(doc.seed() + ".bin"), body);

    Map<?, ?> result =
        sdk()
            .uploader()
            .uploadLarge(
                file.toFile(),
                ObjectUtils.asMap("public_id", doc.publicId(), "resource_type", "raw"),
                6_000_000);

    assertThat(result.get("etag")).isEqualTo(Bodies.md5(body));
    assertThat(((Number) result.get("bytes")).longValue()).isEqualTo(body.length);
    assertThat(rig.stores().cloudinary(doc.path())).isEqualTo(body);
    assertThat(rig.stores().s3(doc.path())).isEqualTo(body);
    assertVerified(doc, body, version(result));
  }

  @ParameterizedTest
  @EnumSource(
      value = WriteMode.class,
      names = {"DUAL_CLOUDINARY_PRIMARY", "DUAL_S3_PRIMARY"})
  void anOverwriteUpdatesBothStoresAndNothingBringsTheOldVersionBack(WriteMode mode)
      throws Exception {
    rig.mode(mode);
    Doc doc = Doc.image(id("overwrite", mode));
    byte[] first = Bodies.pdf(120_000, doc.seed());
    byte[] second = Bodies.pdf(90_000, doc.seed() + 1);

    long v1 = version(upload(sdk(), first, doc));
    Map<?, ?> overwritten = upload(sdk(), second, doc);
    long v2 = version(overwritten);

    assertThat(v2).isGreaterThan(v1);
    assertThat(overwritten.get("overwritten")).isEqualTo(true);
    assertInBoth(doc, second, v2);
    rig.cli().repairOnce();
    rig.cli().backfill();
    assertInBoth(doc, second, v2);
  }

  @ParameterizedTest
  @EnumSource(
      value = WriteMode.class,
      names = {"DUAL_CLOUDINARY_PRIMARY", "DUAL_S3_PRIMARY"})
  void aDestroyedDocumentIsNotResurrectedByRepairOrBackfill(WriteMode mode) throws Exception {
    rig.mode(mode);
    Doc doc = Doc.raw(id("destroy", mode));
    byte[] body = Bodies.pdf(60_000, doc.seed());
    // The secondary fails the upload, so a repair of the old bytes is still queued at destroy.
    secondaryGate(mode).fault(".*", FaultGate.Kind.HTTP_500);
    upload(sdk(), body, doc);
    assertThat(rig.stores().outbox(doc.rt(), doc.publicId())).isNotEmpty();
    secondaryGate(mode).heal();

    Map<?, ?> destroyed =
        sdk().uploader().destroy(doc.publicId(), ObjectUtils.asMap("resource_type", doc.rt()));

    assertThat(destroyed.get("result")).isEqualTo("ok");
    assertGone(doc);
    rig.cli().repairOnce();
    rig.cli().backfill();
    assertGone(doc);
    assertThat(rig.stores().outbox(doc.rt(), doc.publicId())).isEmpty();
  }

  static Stream<Arguments> dualModesAndFaults() {
    return Stream.of(WriteMode.DUAL_CLOUDINARY_PRIMARY, WriteMode.DUAL_S3_PRIMARY)
        // Store faults only: a 400 is the store refusing the request, not failing.
        .flatMap(
            m ->
                Stream.of(FaultGate.Kind.HTTP_500, FaultGate.Kind.CONNECTION_RESET)
                    .map(k -> Arguments.of(m, k)));
  }

  @ParameterizedTest
  @MethodSource("dualModesAndFaults")
  void aFailingSecondaryIsAcknowledgedQueuedAndRepairedOnceItIsBack(
      WriteMode mode, FaultGate.Kind fault) throws Exception {
    rig.mode(mode);
    Doc doc = Doc.image(id("secondary", mode));
    byte[] body = Bodies.pdf(150_000, doc.seed());
    secondaryGate(mode).fault(".*", fault);

    Map<?, ?> result = upload(sdk(), body, doc);

    assertThat(result.get("etag")).isEqualTo(Bodies.md5(body));
    StoreProbe stores = rig.stores();
    boolean s3Secondary = mode == WriteMode.DUAL_CLOUDINARY_PRIMARY;
    assertThat(s3Secondary ? stores.s3(doc.path()) : stores.cloudinary(doc.path())).isNull();
    assertThat(stores.outbox(doc.rt(), doc.publicId()))
        .containsExactly(s3Secondary ? "put" : "cld_put");

    secondaryGate(mode).heal();
    rig.cli().repairOnce();

    assertThat(stores.outbox(doc.rt(), doc.publicId())).isEmpty();
    assertThat(stores.cloudinary(doc.path())).isEqualTo(body);
    assertThat(stores.s3(doc.path())).isEqualTo(body);
    if (s3Secondary) {
      // The put repair copied Cloudinary's original through the copier, which streams it: the
      // SHA-256 is known only after the put's headers went out, so only the ledger has it.
      assertVerified(doc, body, version(result), false);
    } else {
      assertVerified(doc, body, version(result));
    }
  }

  @ParameterizedTest
  @MethodSource("dualModesAndFaults")
  void aFailingPrimaryFailsTheClientAndLeavesNothingInTheSecondary(
      WriteMode mode, FaultGate.Kind fault) throws Exception {
    rig.mode(mode);
    Doc doc = Doc.image(id("primary", mode));
    byte[] body = Bodies.pdf(150_000, doc.seed());
    boolean cloudinaryPrimary = mode == WriteMode.DUAL_CLOUDINARY_PRIMARY;
    (cloudinaryPrimary ? rig.cloudinaryGate() : rig.s3Gate()).fault(".*", fault);

    assertThatThrownBy(() -> upload(sdk(), body, doc))
        .hasMessageContaining(
            cloudinaryPrimary && fault == FaultGate.Kind.HTTP_500
                ? "injected 500 in front of the store"
                : "Server returned unexpected status code - 50");
    rig.cloudinaryGate().heal();
    rig.s3Gate().heal();
    if (!cloudinaryPrimary && fault == FaultGate.Kind.CONNECTION_RESET) {
      // No answer from S3: it may have stored the upload, so Cloudinary follows whatever S3 holds.
      assertThat(rig.stores().outbox(doc.rt(), doc.publicId())).containsExactly("cld_delete");
      rig.cli().repairOnce();
    }

    assertGone(doc);
    assertThat(rig.stores().outbox(doc.rt(), doc.publicId())).isEmpty();
    assertThat(rig.stores().row(doc.rt(), doc.publicId()).map(DocumentRecord::state))
        .isNotEqualTo(Optional.of(S3State.VERIFIED));
  }

  @ParameterizedTest
  @EnumSource(WriteMode.class)
  void aWrongSignatureOrAStaleTimestampIsRefusedAndNothingIsWritten(WriteMode mode)
      throws Exception {
    rig.mode(mode);
    Doc doc = Doc.raw(id("refused", mode));
    byte[] body = Bodies.pdf(20_000, doc.seed());
    Cloudinary wrongSecret = new Cloudinary(rig.cloudinaryUrl("not-the-secret"));
    long twoHoursAgo = System.currentTimeMillis() / 1000 - 7200;

    assertThatThrownBy(() -> upload(wrongSecret, body, doc))
        .hasMessageContaining("Invalid Signature");
    // Uploader.upload always signs "now"; callApi signs the params it is given as they are.
    Map<String, Object> stale = new HashMap<>();
    stale.put("public_id", doc.publicId());
    stale.put("timestamp", Long.toString(twoHoursAgo));
    assertThatThrownBy(
            () ->
                sdk()
                    .uploader()
                    .callApi("upload", stale, ObjectUtils.asMap("resource_type", doc.rt()), body))
        .hasMessageContaining("Stale request");

    assertGone(doc);
    assertThat(rig.stores().outbox(doc.rt(), doc.publicId())).isEmpty();
    assertThat(rig.stores().row(doc.rt(), doc.publicId())).isEmpty();
  }

  /** A public_id no other test uses: {@code folder/mode-n}. */
  private static String id(String folder, WriteMode mode) {
    return folder + "/" + mode.name().toLowerCase(Locale.ROOT) + "-" + IDS.incrementAndGet();
  }

  private static FaultGate secondaryGate(WriteMode mode) {
    return mode == WriteMode.DUAL_CLOUDINARY_PRIMARY ? rig.s3Gate() : rig.cloudinaryGate();
  }

  private static Cloudinary sdk() {
    return new Cloudinary(rig.cloudinaryUrl());
  }

  private static Map<?, ?> upload(Cloudinary sdk, byte[] body, Doc doc) throws Exception {
    return sdk.uploader()
        .upload(body, ObjectUtils.asMap("public_id", doc.publicId(), "resource_type", doc.rt()));
  }

  private static long version(Map<?, ?> result) {
    return ((Number) result.get("version")).longValue();
  }

  private static void assertInBoth(Doc doc, byte[] body, long version) throws Exception {
    assertThat(rig.stores().cloudinary(doc.path())).isEqualTo(body);
    assertThat(rig.stores().s3(doc.path())).isEqualTo(body);
    assertVerified(doc, body, version);
  }

  /** S3 holds {@code body} at {@code version} and the ledger trusts that copy. */
  private static void assertVerified(Doc doc, byte[] body, long version) throws Exception {
    assertVerified(doc, body, version, true);
  }

  /**
   * {@link #assertVerified(Doc, byte[], long)}, with {@code sha256InMetadata} false for a copy the
   * copier streamed (its object's metadata has no {@code sha256}; the ledger has it).
   */
  private static void assertVerified(Doc doc, byte[] body, long version, boolean sha256InMetadata)
      throws Exception {
    Map<String, String> meta = rig.stores().s3Metadata(doc.path());
    assertThat(meta).containsEntry("md5", Bodies.md5(body));
    DocumentRecord recorded = rig.stores().row(doc.rt(), doc.publicId()).orElseThrow();
    if (meta.containsKey("cloudinary-version")) {
      assertThat(meta).containsEntry("cloudinary-version", Long.toString(version));
    } else {
      // A new document's parallel put carries no version claim: the ledger's row records it.
      assertThat(recorded.s3().version()).as("the row's S3 version").isEqualTo(version);
      assertThat(recorded.s3().md5()).isEqualTo(Bodies.md5(body));
    }
    if (sha256InMetadata) {
      assertThat(meta).containsEntry("sha256", Bodies.sha256(body));
    } else {
      assertThat(meta).doesNotContainKey("sha256");
    }
    DocumentRecord row = rig.stores().row(doc.rt(), doc.publicId()).orElseThrow();
    assertThat(row.state()).isEqualTo(S3State.VERIFIED);
    assertThat(row.s3().sha256()).isEqualTo(Bodies.sha256(body));
    assertThat(row.asset().version()).isEqualTo(version);
  }

  private static void assertGone(Doc doc) throws Exception {
    assertThat(rig.stores().s3(doc.path())).as("in S3").isNull();
    assertThat(rig.stores().cloudinary(doc.path())).as("in Cloudinary").isNull();
  }
}
