package io.docshift.app.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cloudinary.Cloudinary;
import com.cloudinary.utils.ObjectUtils;
import io.docshift.core.config.WriteMode;
import io.docshift.ledger.S3State;
import io.docshift.traffic.control.TrafficChange;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code S3_ONLY} deletes and renames of documents written in that mode, while Cloudinary cannot
 * help: it is down (every API call's connection reset) or retired (every API call answered 404).
 * Cloudinary never got these documents, so DocShift must answer each call from S3 and the ledger,
 * in Cloudinary's JSON shape, with the real Java SDK as the client: {@code destroy}, Admin API
 * deletes by ids, by prefix and {@code all}, {@code delete_by_token} (a token DocShift issued) and
 * {@code rename}. Each leaves the document absent from S3, tombstoned in the ledger, absent from
 * Cloudinary (which never had it), with no repair row, and unreadable at S3 weight 100; a rename
 * leaves the bytes under the new key only. A tag delete needs Cloudinary (the ledger keeps no
 * tags): it fails and changes nothing.
 */
@Timeout(300)
class S3OnlyRemovalsTest {
  private static final AtomicInteger IDS = new AtomicInteger();
  @RegisterExtension static final WriteRig rig = WriteRig.gated();

  /** How Cloudinary's API fails behind DocShift. */
  enum CloudinaryApi {
    DOWN(FaultGate.Kind.CONNECTION_RESET),
    RETIRED(FaultGate.Kind.HTTP_404);

    final FaultGate.Kind kind;

    CloudinaryApi(FaultGate.Kind kind) {
      this.kind = kind;
    }
  }

  @BeforeEach
  void s3Only() {
    rig.mode(WriteMode.S3_ONLY);
    rig.traffic(TrafficChange.builder().s3ReadPercent(100).build());
  }

  @ParameterizedTest
  @EnumSource(CloudinaryApi.class)
  void everyDeleteIsAnsweredFromS3AndTheLedger(CloudinaryApi cloudinary) throws Exception {
    int n = IDS.incrementAndGet();
    Doc destroyed = Doc.image("s3only" + n + "/destroyed");
    Doc byId = Doc.image("s3only" + n + "/by-id");
    Doc byPrefix = Doc.image("s3only" + n + "-prefix/a");
    Doc byPrefix2 = Doc.image("s3only" + n + "-prefix/b");
    Doc byToken = Doc.image("s3only" + n + "/by-token");
    Doc all = Doc.raw("s3only" + n + "/all.bin");
    Map<Doc, Map<?, ?>> uploaded = new HashMap<>();
    for (Doc doc : List.of(destroyed, byId, byPrefix, byPrefix2, byToken, all)) {
      uploaded.put(doc, upload(doc, n));
      assertServedFromS3(doc, body(doc, n));
    }
    String token = (String) uploaded.get(byToken).get("delete_token");
    assertThat(token).as("delete_token of an S3_ONLY upload").isNotBlank();
    rig.cloudinaryGate().fault(".*", cloudinary.kind);

    Map<?, ?> image = ObjectUtils.asMap("resource_type", "image");
    assertThat(sdk().uploader().destroy(destroyed.publicId(), image).get("result")).isEqualTo("ok");
    assertThat(deleted(sdk().api().deleteResources(List.of(byId.publicId(), "nope" + n), image)))
        .containsEntry(byId.publicId(), "deleted")
        .containsEntry("nope" + n, "not_found");
    Map<?, ?> prefixAnswer = sdk().api().deleteResourcesByPrefix("s3only" + n + "-prefix/", image);
    assertThat(deleted(prefixAnswer)).containsOnlyKeys(byPrefix.publicId(), byPrefix2.publicId());
    assertThat(prefixAnswer.get("partial")).isEqualTo(false);
    assertThat(sdk().uploader().deleteByToken(token).get("result")).isEqualTo("ok");
    assertThat(
            deleted(
                sdk()
                    .api()
                    .deleteAllResources(
                        ObjectUtils.asMap("resource_type", "raw", "type", "upload"))))
        .containsEntry(all.publicId(), "deleted");

    for (Doc doc : List.of(destroyed, byId, byPrefix, byPrefix2, byToken, all)) {
      assertGone(doc);
    }
  }

  @ParameterizedTest
  @EnumSource(CloudinaryApi.class)
  void aRenameMovesTheBytesWithinS3(CloudinaryApi cloudinary) throws Exception {
    int n = IDS.incrementAndGet();
    Doc from = Doc.image("s3only-rename" + n + "/from");
    Doc to = Doc.image("s3only-rename" + n + "/to");
    Doc taken = Doc.image("s3only-rename" + n + "/taken");
    Map<?, ?> uploaded = upload(from, n);
    upload(taken, n);
    rig.cloudinaryGate().fault(".*", cloudinary.kind);
    Map<?, ?> image = ObjectUtils.asMap("resource_type", "image");

    assertThatThrownBy(() -> sdk().uploader().rename(from.publicId(), taken.publicId(), image))
        .hasMessageContaining("already exists");
    assertThatThrownBy(() -> sdk().uploader().rename("s3only-rename-none", "x", image))
        .hasMessageContaining("Resource not found");
    Map<?, ?> answer = sdk().uploader().rename(from.publicId(), to.publicId(), image);

    assertThat(answer.get("public_id")).isEqualTo(to.publicId());
    assertThat(answer.get("version")).isEqualTo(uploaded.get("version"));
    assertThat(answer.get("etag")).isEqualTo(Bodies.md5(body(from, n)));
    assertGone(from);
    assertServedFromS3(to, body(from, n));
    assertThat(rig.stores().cloudinary(to.path())).as("Cloudinary never got it").isNull();
    assertThat(rig.stores().outbox(to.rt(), to.publicId())).isEmpty();
    assertServedFromS3(taken, body(taken, n));
  }

  /**
   * A backfilled document's S3 object carries no {@code sha256} metadata (the backfill streams; the
   * ledger has it): the rename takes the ledger's, declares it to S3 on the renamed object's put,
   * and the renamed row and object keep it.
   */
  @Test
  void aRenameOfABackfilledDocumentKeepsItsChecksum() throws Exception {
    int n = IDS.incrementAndGet();
    Doc from = Doc.raw("s3only-backfilled" + n + "/from.bin");
    Doc to = Doc.raw("s3only-backfilled" + n + "/to.bin");
    byte[] body = body(from, n);
    rig.mode(WriteMode.CLOUDINARY_ONLY);
    Map<String, Object> options = new HashMap<>();
    options.put("public_id", from.publicId());
    options.put("resource_type", from.rt());
    sdk().uploader().upload(body, options);
    rig.cli().backfill();
    assertThat(rig.stores().s3Metadata(from.path())).doesNotContainKey("sha256");
    rig.mode(WriteMode.S3_ONLY);
    rig.cloudinaryGate().fault(".*", FaultGate.Kind.CONNECTION_RESET);

    Map<?, ?> answer =
        sdk()
            .uploader()
            .rename(from.publicId(), to.publicId(), ObjectUtils.asMap("resource_type", "raw"));

    assertThat(answer.get("public_id")).isEqualTo(to.publicId());
    assertServedFromS3(to, body);
    assertThat(rig.stores().row(to.rt(), to.publicId()).orElseThrow().s3().sha256())
        .isEqualTo(Bodies.sha256(body));
    assertThat(rig.stores().s3Metadata(to.path())).containsEntry("sha256", Bodies.sha256(body));
    assertThat(rig.stores().s3(from.path())).isNull();
    assertThat(rig.stores().row(from.rt(), from.publicId()).orElseThrow().state())
        .isEqualTo(S3State.DELETED);
    assertThat(rig.stores().outbox(to.rt(), to.publicId())).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(CloudinaryApi.class)
  void aTagDeleteNeedsCloudinaryAndChangesNothingWithoutIt(CloudinaryApi cloudinary)
      throws Exception {
    int n = IDS.incrementAndGet();
    Doc doc = Doc.image("s3only-tag" + n + "/doc");
    upload(doc, n);
    rig.cloudinaryGate().fault(".*", cloudinary.kind);

    assertThatThrownBy(
            () ->
                sdk()
                    .api()
                    .deleteResourcesByTag("tag-" + n, ObjectUtils.asMap("resource_type", "image")))
        .isInstanceOf(Exception.class);

    assertServedFromS3(doc, body(doc, n));
    assertThat(rig.stores().outbox(doc.rt(), doc.publicId())).isEmpty();
  }

  private static void assertGone(Doc doc) throws Exception {
    assertThat(rig.stores().row(doc.rt(), doc.publicId()).orElseThrow().state())
        .as("ledger %s", doc)
        .isEqualTo(S3State.DELETED);
    assertThat(rig.stores().s3(doc.path())).as("S3 %s", doc).isNull();
    assertThat(rig.stores().cloudinary(doc.path())).as("Cloudinary %s", doc).isNull();
    assertThat(rig.stores().outbox(doc.rt(), doc.publicId())).as("outbox %s", doc).isEmpty();
    assertThat(rig.get(doc.path()).statusCode()).as("read %s", doc).isEqualTo(404);
  }

  private static void assertServedFromS3(Doc doc, byte[] body) throws Exception {
    assertThat(rig.stores().row(doc.rt(), doc.publicId()).orElseThrow().state())
        .isEqualTo(S3State.VERIFIED);
    assertThat(rig.stores().s3(doc.path())).isEqualTo(body);
    HttpResponse<byte[]> read = rig.get(doc.path());
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(read.body()).isEqualTo(body);
    assertThat(read.headers().firstValue("X-DocShift-Backend")).contains("s3");
  }

  private static Map<?, ?> upload(Doc doc, int n) throws Exception {
    Map<String, Object> options = new HashMap<>();
    options.put("public_id", doc.publicId());
    options.put("resource_type", doc.rt());
    options.put("return_delete_token", true);
    options.put("tags", "tag-" + n);
    Map<?, ?> answer = sdk().uploader().upload(body(doc, n), options);
    assertThat(rig.stores().cloudinary(doc.path())).as("S3_ONLY writes S3 only").isNull();
    return answer;
  }

  private static byte[] body(Doc doc, int n) {
    return doc.format() == null
        ? Bodies.random(20_000, doc.seed() + n)
        : Bodies.pdf(30_000, doc.seed() + n);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> deleted(Map<?, ?> answer) {
    return (Map<String, Object>) answer.get("deleted");
  }

  private static Cloudinary sdk() {
    return new Cloudinary(rig.cloudinaryUrl());
  }
}
