package io.docshift.app.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cloudinary.Cloudinary;
import com.cloudinary.utils.ObjectUtils;
import io.docshift.core.config.WriteMode;
import io.docshift.ledger.DocumentRecord;
import io.docshift.ledger.S3State;
import io.docshift.traffic.control.TrafficChange;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every call that deletes or moves an original, made through DocShift by the real Java SDK: the
 * ledger tombstones (or moves) the row before the answer, the very next read of the old key at S3
 * weight 0, 50 and 100 is never served the old bytes — even while S3 refuses the delete, so the old
 * object is still there — and once the repair outbox drains S3 holds nothing under the old key.
 * Derived-only deletes and refused calls change nothing. Paged bulk deletes: {@code
 * PagedDeletesTest}.
 */
@Timeout(300)
class DeleteFollowTest {
  private static final AtomicInteger IDS = new AtomicInteger();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  @RegisterExtension static final WriteRig rig = WriteRig.gated();

  /** How the test deletes or moves the document. */
  enum Op {
    DESTROY,
    ADMIN_BY_IDS,
    ADMIN_BY_PREFIX,
    ADMIN_BY_TAG,
    DELETE_BY_TOKEN,
    RENAME
  }

  @BeforeEach
  void dualWrites() {
    rig.mode(WriteMode.DUAL_CLOUDINARY_PRIMARY);
  }

  /**
   * With S3 primary, DocShift answers uploads itself and writes Cloudinary with its own signed
   * call: that answer carries no {@code delete_token} and the Cloudinary copy no tags, so token and
   * tag deletes are exercised with Cloudinary primary only.
   */
  static Stream<Arguments> opsAndWeights() {
    Stream<Arguments> cloudinaryPrimary =
        Stream.of(Op.values()).map(op -> Arguments.of(WriteMode.DUAL_CLOUDINARY_PRIMARY, op));
    Stream<Arguments> s3Primary =
        Stream.of(Op.DESTROY, Op.ADMIN_BY_IDS, Op.ADMIN_BY_PREFIX, Op.RENAME)
            .map(op -> Arguments.of(WriteMode.DUAL_S3_PRIMARY, op));
    return Stream.concat(cloudinaryPrimary, s3Primary)
        .flatMap(a -> Stream.of(0, 50, 100).map(w -> Arguments.of(a.get()[0], a.get()[1], w)));
  }

  @ParameterizedTest(name = "{1} in {0} at S3 weight {2}")
  @MethodSource("opsAndWeights")
  void theOldKeyIsNeverServedAfterTheAnswer(WriteMode mode, Op op, int weight) throws Exception {
    rig.mode(mode);
    int n = IDS.incrementAndGet();
    Doc doc = Doc.image("del" + n + "/doc");
    String tag = "tag-" + n;
    byte[] body = Bodies.pdf(50_000, n);
    Map<?, ?> uploaded = upload(doc, body, tag);
    assertThat(rig.stores().row(doc.rt(), doc.publicId()).orElseThrow().state())
        .isEqualTo(S3State.VERIFIED);
    // S3 serves it, and this instance's ledger cache now says "verified".
    weight(100);
    assertThat(read(doc).headers().firstValue("X-DocShift-Backend")).contains("s3");
    weight(weight);
    // S3 refuses deletes: the old object stays until the repair worker removes it. (Not for a
    // destroy with S3 primary: there a refused S3 delete is the client's error answer.)
    boolean s3Refuses = !(mode == WriteMode.DUAL_S3_PRIMARY && op == Op.DESTROY);
    if (s3Refuses) {
      rig.s3Gate().fault("DELETE", ".*", FaultGate.Kind.HTTP_500);
    }

    Doc renamed = Doc.image("del" + n + "/renamed");
    apply(op, doc, renamed, tag, uploaded);

    HttpResponse<byte[]> old = read(doc);
    assertThat(old.statusCode()).as("old key right after the answer").isEqualTo(404);
    assertThat(rig.stores().row(doc.rt(), doc.publicId()).orElseThrow().state())
        .isEqualTo(S3State.DELETED);
    assertThat(rig.stores().cloudinary(doc.path())).isNull();
    assertThat(rig.stores().s3(doc.path()))
        .as("S3 refused the delete")
        .isEqualTo(s3Refuses ? body : null);
    assertThat(rig.stores().outbox(doc.rt(), doc.publicId()))
        .containsExactlyElementsOf(s3Refuses ? List.of("delete") : List.of());
    if (op == Op.RENAME) {
      HttpResponse<byte[]> moved = read(renamed);
      assertThat(moved.statusCode()).isEqualTo(200);
      assertThat(moved.body()).isEqualTo(body);
      // Cloudinary-primary: the new key waits for the put repair. S3-primary: S3's own object was
      // copied to the new key before the answer.
      assertThat(rig.stores().row(renamed.rt(), renamed.publicId()).orElseThrow().state())
          .isEqualTo(mode == WriteMode.DUAL_S3_PRIMARY ? S3State.VERIFIED : S3State.ABSENT);
    }

    rig.s3Gate().heal();
    rig.cli().repairOnce();

    assertThat(rig.stores().s3(doc.path())).as("S3 after repair").isNull();
    assertThat(rig.stores().outbox(doc.rt(), doc.publicId())).isEmpty();
    assertThat(read(doc).statusCode()).isEqualTo(404);
    if (op == Op.RENAME) {
      assertThat(rig.stores().s3(renamed.path())).isEqualTo(body);
      DocumentRecord row = rig.stores().row(renamed.rt(), renamed.publicId()).orElseThrow();
      assertThat(row.state()).isEqualTo(S3State.VERIFIED);
      weight(100);
      HttpResponse<byte[]> moved = read(renamed);
      assertThat(moved.body()).isEqualTo(body);
    }
  }

  @Test
  void deleteAllOfOneTypeTombstonesEveryDocumentOfIt() throws Exception {
    Doc a = Doc.raw("all/a.bin");
    Doc b = Doc.raw("all/b.bin");
    byte[] bodyA = Bodies.random(20_000, 1);
    upload(a, bodyA, null);
    upload(b, Bodies.random(20_000, 2), null);
    weight(100);

    Map<?, ?> answer =
        sdk().api().deleteAllResources(ObjectUtils.asMap("resource_type", "raw", "type", "upload"));

    assertThat(deleted(answer)).containsKeys(a.publicId(), b.publicId());
    for (Doc doc : List.of(a, b)) {
      assertThat(read(doc).statusCode()).isEqualTo(404);
      assertThat(rig.stores().row(doc.rt(), doc.publicId()).orElseThrow().state())
          .isEqualTo(S3State.DELETED);
      assertThat(rig.stores().s3(doc.path())).isNull();
      assertThat(rig.stores().cloudinary(doc.path())).isNull();
    }
  }

  /**
   * History-checker finding (S3-primary): a writer that died after its S3 put and before its ledger
   * write leaves an object under the tombstone of an earlier destroy. An acknowledged Admin API
   * delete of the id (Cloudinary answers {@code not_found}) must empty S3 too, or the dead writer's
   * {@code cld_put} repair copies the object back to Cloudinary after it.
   */
  @Test
  void anAdminDeleteOfATombstonedIdEmptiesWhatADeadWriterLeftInS3() throws Exception {
    rig.mode(WriteMode.DUAL_S3_PRIMARY);
    Doc doc = Doc.raw("dead-writer" + IDS.incrementAndGet() + "/doc.bin");
    Map<?, ?> raw = ObjectUtils.asMap("resource_type", "raw");
    upload(doc, Bodies.random(20_000, 3), null);
    sdk().uploader().destroy(doc.publicId(), raw);
    rig.stores().replaceInS3(doc.path(), Bodies.random(20_000, 4));

    Map<?, ?> answer = sdk().api().deleteResources(List.of(doc.publicId()), raw);

    assertThat(deleted(answer)).containsEntry(doc.publicId(), "not_found");
    assertThat(rig.stores().s3(doc.path())).isNull();
    assertThat(rig.stores().cloudinary(doc.path())).isNull();
    assertThat(rig.stores().row(doc.rt(), doc.publicId()).orElseThrow().state())
        .isEqualTo(S3State.DELETED);
    assertThat(rig.stores().outbox(doc.rt(), doc.publicId())).isEmpty();
  }

  @Test
  void deletingDerivedVersionsLeavesTheOriginalAlone() throws Exception {
    Doc doc = Doc.image("derived" + IDS.incrementAndGet() + "/doc");
    byte[] body = Bodies.pdf(30_000, 7);
    upload(doc, body, null);
    weight(100);

    sdk()
        .api()
        .deleteResources(
            List.of(doc.publicId()),
            ObjectUtils.asMap("resource_type", "image", "keep_original", true));

    assertUntouched(doc, body);
  }

  @Test
  void refusedCallsChangeNothing() throws Exception {
    Doc doc = Doc.image("refused" + IDS.incrementAndGet() + "/doc");
    byte[] body = Bodies.pdf(30_000, 9);
    upload(doc, body, null);
    weight(100);
    Cloudinary wrong = new Cloudinary(rig.cloudinaryUrl("not-the-secret"));

    assertThatThrownBy(
            () ->
                wrong
                    .api()
                    .deleteResources(
                        List.of(doc.publicId()), ObjectUtils.asMap("resource_type", "image")))
        .hasMessageContaining("api_secret mismatch");
    assertThatThrownBy(
            () ->
                wrong
                    .uploader()
                    .rename(
                        doc.publicId(),
                        "refused/elsewhere",
                        ObjectUtils.asMap("resource_type", "image")))
        .hasMessageContaining("Invalid Signature");
    assertThatThrownBy(() -> sdk().uploader().deleteByToken("no-such-token"))
        .hasMessageContaining("Invalid token");

    assertUntouched(doc, body);
    assertThat(rig.stores().row("image", "refused/elsewhere")).isEmpty();
    // The intents committed before each call were settled when Cloudinary refused it.
    assertThat(rig.stores().outbox("image", "refused/elsewhere")).isEmpty();
  }

  /**
   * Calls DocShift authenticates, so their intents are committed before they are sent, and that
   * Cloudinary then refuses or finds nothing for: the intents are settled, nothing changes.
   */
  @Test
  void authenticCallsCloudinaryRefusesLeaveNoIntentBehind() throws Exception {
    int n = IDS.incrementAndGet();
    Doc doc = Doc.image("refused" + n + "/doc");
    Doc taken = Doc.image("refused" + n + "/taken");
    byte[] body = Bodies.pdf(30_000, 11);
    byte[] takenBody = Bodies.pdf(30_000, 12);
    upload(doc, body, null);
    upload(taken, takenBody, null);
    weight(100);

    assertThatThrownBy(
            () ->
                sdk()
                    .uploader()
                    .rename(
                        doc.publicId(),
                        taken.publicId(),
                        ObjectUtils.asMap("resource_type", "image")))
        .hasMessageContaining("already exists");
    Map<?, ?> answer =
        sdk()
            .api()
            .deleteResources(
                List.of("refused" + n + "/never"), ObjectUtils.asMap("resource_type", "image"));

    assertThat(deleted(answer)).containsEntry("refused" + n + "/never", "not_found");
    assertUntouched(doc, body);
    assertUntouched(taken, takenBody);
    assertThat(rig.stores().outbox("image", "refused" + n + "/never")).isEmpty();
    assertThat(rig.stores().row("image", "refused" + n + "/never")).isEmpty();
  }

  private static void assertUntouched(Doc doc, byte[] body) throws Exception {
    rig.stores().assertVerifiedInBoth(doc, body);
    HttpResponse<byte[]> r = read(doc);
    assertThat(r.body()).isEqualTo(body);
    assertThat(r.headers().firstValue("X-DocShift-Backend")).contains("s3");
  }

  private static void apply(Op op, Doc doc, Doc renamed, String tag, Map<?, ?> uploaded)
      throws Exception {
    Map<?, ?> options = ObjectUtils.asMap("resource_type", doc.rt());
    Map<?, ?> answer =
        switch (op) {
          case DESTROY -> sdk().uploader().destroy(doc.publicId(), options);
          case ADMIN_BY_IDS -> sdk().api().deleteResources(List.of(doc.publicId()), options);
          case ADMIN_BY_PREFIX ->
              sdk().api().deleteResourcesByPrefix(doc.publicId().split("/")[0] + "/", options);
          case ADMIN_BY_TAG -> sdk().api().deleteResourcesByTag(tag, options);
          case DELETE_BY_TOKEN ->
              sdk().uploader().deleteByToken((String) uploaded.get("delete_token"));
          case RENAME -> sdk().uploader().rename(doc.publicId(), renamed.publicId(), options);
        };
    if (op == Op.RENAME) {
      assertThat(answer.get("public_id")).isEqualTo(renamed.publicId());
    } else if (op == Op.DESTROY || op == Op.DELETE_BY_TOKEN) {
      assertThat(answer.get("result")).isEqualTo("ok");
    } else {
      assertThat(deleted(answer)).containsEntry(doc.publicId(), "deleted");
    }
  }

  private static Map<?, ?> upload(Doc doc, byte[] body, String tag) throws Exception {
    Map<String, Object> options = new java.util.HashMap<>();
    options.put("public_id", doc.publicId());
    options.put("resource_type", doc.rt());
    options.put("return_delete_token", true);
    if (tag != null) {
      options.put("tags", tag);
    }
    return sdk().uploader().upload(body, options);
  }

  private static void weight(int percent) {
    rig.traffic(TrafficChange.builder().s3ReadPercent(percent).build());
  }

  private static HttpResponse<byte[]> read(Doc doc) throws Exception {
    return rig.get(doc.path());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> deleted(Map<?, ?> answer) {
    return (Map<String, Object>) answer.get("deleted");
  }

  private static Cloudinary sdk() {
    return new Cloudinary(rig.cloudinaryUrl());
  }
}
