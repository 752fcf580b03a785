package io.docshift.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.backfill.Harness.Seeded;
import io.docshift.copier.CopyOutcome;
import io.docshift.copier.CopyOutcome.Kind;
import io.docshift.copier.DocumentCopier;
import io.docshift.copier.TestCopiers;
import io.docshift.core.store.DocumentStore;
import io.docshift.core.store.PutRequest;
import io.docshift.ledger.CloudinaryAsset;
import io.docshift.ledger.DocumentRecord;
import io.docshift.ledger.Ledger;
import io.docshift.ledger.S3State;
import io.docshift.ledger.UpsertOrigin;
import io.docshift.testkit.CloudinaryEmulatorExtension;
import io.docshift.testkit.EmbeddedS3Extension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.core.async.AsyncRequestBody;

/**
 * The one copier's rules ({@link DocumentCopier}, used by the backfill, the repair worker and
 * verify), one row each, against the emulator, S3Proxy and an H2 ledger: what the copy answers,
 * what S3 holds afterwards, the ledger row's state and how many puts S3 took.
 */
@Timeout(120)
class CopierRulesTest {

  @RegisterExtension
  static final CloudinaryEmulatorExtension CLOUDINARY = new CloudinaryEmulatorExtension();

  @RegisterExtension static final EmbeddedS3Extension S3 = new EmbeddedS3Extension();

  @TempDir Path spoolDir;

  private Ledger ledger;
  private DocumentStore cloudinary;
  private DocumentStore source;
  private DocumentStore realS3;
  private CountingStore s3;
  private final List<Duration> slept = new ArrayList<>();

  /** What S3 holds for the document after the copy. */
  enum Held {
    CLOUDINARY_BYTES,
    OTHER_BYTES,
    NOTHING
  }

  /** Prepares the stores and the ledger before the copy; returns the row the copier is given. */
  @FunctionalInterface
  interface Arrange {
    DocumentRecord arrange(CopierRulesTest t, Seeded doc) throws Exception;
  }

  /** Changes the stores or the ledger before the copy of a freshly listed row. */
  @FunctionalInterface
  interface Before {
    void prepare(CopierRulesTest t, Seeded doc) throws Exception;
  }

  /** The freshly listed row, after {@code before} prepared the stores or the ledger. */
  static Arrange listedAfter(Before before) {
    return (t, d) -> {
      before.prepare(t, d);
      return t.listed(d);
    };
  }

  /**
   * What a rule's copy leaves: the outcome's kind and reason, the row's state, what S3 holds and
   * how many puts S3 took.
   */
  record Expected(Kind kind, String reason, S3State state, Held held, int puts) {}

  /** Copied and verified with one put: S3 holds Cloudinary's bytes. */
  static final Expected COPIED =
      new Expected(Kind.COPIED, "none", S3State.VERIFIED, Held.CLOUDINARY_BYTES, 1);

  /** Skipped as destroyed after the one put: the row a tombstone, S3 empty. */
  static final Expected DESTROYED =
      new Expected(Kind.SKIPPED, "destroyed", S3State.DELETED, Held.NOTHING, 1);

  /** Failed for {@code reason} with nothing in S3 and the row still absent. */
  static Expected failed(String reason) {
    return new Expected(Kind.FAILED, reason, S3State.ABSENT, Held.NOTHING, 0);
  }

  record Row(String rule, Arrange arrange, Expected expected) {
    @Override
    public String toString() {
      return rule;
    }
  }

  static Stream<Row> rules() {
    return Stream.of(
        new Row("nothing in S3: copied and verified", (t, d) -> t.listed(d), COPIED),
        new Row(
            "a newer dual-written object is never overwritten",
            listedAfter((t, d) -> t.plant(d, d.asset().version() + 10)),
            new Expected(Kind.SKIPPED, "s3_newer", S3State.ABSENT, Held.OTHER_BYTES, 0)),
        new Row(
            "the same version already in S3 is verified without a copy",
            (t, d) -> {
              DocumentRecord row = t.listed(d);
              t.copier().copy(row);
              return t.ledger.documents().find(d.ledgerKey()).orElseThrow();
            },
            new Expected(
                Kind.SKIPPED,
                CopyOutcome.ALREADY_IN_S3,
                S3State.VERIFIED,
                Held.CLOUDINARY_BYTES,
                1)),
        new Row(
            "a tombstone handed to the copier stays one, S3 empty",
            (t, d) -> {
              DocumentRecord row = t.listed(d);
              t.ledger.documents().markDeleted(d.ledgerKey(), "destroyed through the proxy");
              return row;
            },
            DESTROYED),
        new Row(
            "a destroy during the put deletes the fresh copy again",
            listedAfter(
                (t, d) ->
                    t.s3.beforePut(
                        key ->
                            t.ledger
                                .documents()
                                .markDeleted(d.ledgerKey(), "destroyed meanwhile"))),
            DESTROYED),
        new Row(
            "bytes that differ from the etag are refused by S3: mismatch, nothing stored",
            listedAfter((t, d) -> t.damageAtCloudinary(d)),
            new Expected(
                Kind.MISMATCH, "md5_differs_from_etag", S3State.MISMATCH, Held.NOTHING, 0)),
        new Row(
            "without an etag the spooled copy's damaged bytes end as mismatch, never verified",
            (t, d) -> {
              t.damageAtCloudinary(d);
              return t.listedWithoutEtag(d);
            },
            new Expected(
                Kind.MISMATCH, "md5_differs_from_etag", S3State.MISMATCH, Held.OTHER_BYTES, 1)),
        new Row(
            "without an etag the copy is spooled, copied and verified",
            (t, d) -> t.listedWithoutEtag(d),
            COPIED),
        new Row(
            "a download cut mid-body once is downloaded again",
            listedAfter((t, d) -> t.source = new CutDownloads(t.cloudinary, 1)),
            COPIED),
        new Row(
            "a download cut mid-body every time leaves no S3 object, nothing verified",
            listedAfter((t, d) -> t.source = new CutDownloads(t.cloudinary, 10)),
            failed("cloudinary_connect")),
        new Row(
            "an asset changed since its listing is not copied",
            (t, d) -> {
              CloudinaryAsset stale =
                  new CloudinaryAsset(
                      d.ledgerKey(),
                      d.asset().format(),
                      d.asset().version(),
                      "0123456789abcdef0123456789abcdef",
                      d.asset().bytes());
              t.ledger.documents().upsert(stale, UpsertOrigin.LISTING);
              return t.ledger.documents().find(d.ledgerKey()).orElseThrow();
            },
            failed("source_changed")),
        new Row(
            "S3 failing mid-put once is retried with a fresh download",
            listedAfter((t, d) -> t.s3.failPuts(1)),
            COPIED),
        new Row(
            "S3 failing mid-put every time leaves nothing verified",
            listedAfter((t, d) -> t.s3.failPuts(10)),
            failed("s3_5xx")));
  }

  @BeforeEach
  void open() {
    ledger = Runs.h2Ledger();
    cloudinary = Harness.cloudinary(CLOUDINARY.emulator());
    source = cloudinary;
    realS3 = Harness.s3(S3.s3(), "copier/");
    s3 = new CountingStore(realS3);
  }

  @AfterEach
  void close() {
    s3.close();
    cloudinary.close();
    ledger.close();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rules")
  void theCopierKeepsTheLedgersSafetyRules(Row rule) throws Exception {
    Seeded doc =
        Harness.seedOne(
            CLOUDINARY.emulator(),
            "raw",
            "upload",
            "copier/" + UUID.randomUUID() + ".bin",
            new Random(7));
    DocumentRecord row = rule.arrange().arrange(this, doc);

    CopyOutcome outcome = copier().copy(row);

    Expected expected = rule.expected();
    assertThat(outcome.kind()).as(outcome.toString()).isEqualTo(expected.kind());
    assertThat(outcome.reason()).as(outcome.toString()).isEqualTo(expected.reason());
    assertThat(ledger.documents().find(doc.ledgerKey()).orElseThrow().state())
        .isEqualTo(expected.state());
    Optional<String> held = Harness.storedSha256(realS3, doc.key());
    switch (expected.held()) {
      case CLOUDINARY_BYTES -> assertThat(held).contains(doc.sha256());
      case OTHER_BYTES -> assertThat(held).isPresent().get().isNotEqualTo(doc.sha256());
      default -> assertThat(held).isEmpty();
    }
    assertThat(s3.totalPuts()).as("puts S3 took").isEqualTo(expected.puts());
  }

  DocumentCopier copier() {
    return TestCopiers.copier(ledger.documents(), source, s3, spoolDir, slept::add);
  }

  /** The row a listing of {@code doc} leaves in the ledger. */
  DocumentRecord listed(Seeded doc) {
    return Harness.listed(ledger, doc);
  }

  /** The row of a listing that gave no etag: the copier cannot stream and spools. */
  DocumentRecord listedWithoutEtag(Seeded doc) {
    CloudinaryAsset a = doc.ledgerAsset();
    CloudinaryAsset asset = new CloudinaryAsset(a.key(), a.format(), a.version(), null, a.bytes());
    ledger.documents().upsert(asset, UpsertOrigin.LISTING);
    return ledger.documents().find(doc.ledgerKey()).orElseThrow();
  }

  /** What a dual-write of {@code version} with other bytes leaves in S3. */
  void plant(Seeded doc, long version) throws Exception {
    byte[] newer = ("newer bytes of " + doc.key()).getBytes(StandardCharsets.UTF_8);
    PutRequest request =
        PutRequest.builder(newer.length, AsyncRequestBody.fromBytes(newer))
            .cloudinaryVersion(version)
            .build();
    realS3.put(doc.key(), request).get(30, TimeUnit.SECONDS);
  }

  /** Flips a byte of the emulator's file: Cloudinary then serves bytes that miss its etag. */
  void damageAtCloudinary(Seeded doc) throws Exception {
    Path bin = Harness.emulatorFile(CLOUDINARY.emulator(), doc);
    byte[] damaged = Files.readAllBytes(bin);
    damaged[damaged.length / 2] ^= 0x5a;
    Files.write(bin, damaged);
  }
}
