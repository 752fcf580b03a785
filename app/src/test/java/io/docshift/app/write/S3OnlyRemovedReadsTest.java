package io.docshift.app.write;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudinary.utils.ObjectUtils;
import io.docshift.core.config.WriteMode;
import io.docshift.ledger.DocumentRecord;
import io.docshift.ledger.S3State;
import io.docshift.ledger.TombstoneReason;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A document Cloudinary held from before the migration (uploaded to the emulator directly, then
 * backfilled) and removed through DocShift is never served again. In {@code S3_ONLY} the removal
 * (destroy, Admin API delete, a rename's old key) leaves Cloudinary's copy where it is, so DocShift
 * answers the read 404 from the ledger without asking either store (S3 is faulted while it reads;
 * Cloudinary would serve its copy), at S3 weight 0 and 100. In the dual modes the removal reaches
 * Cloudinary too, which then answers its own 404.
 */
@Timeout(300)
class S3OnlyRemovedReadsTest {
  private static final AtomicInteger IDS = new AtomicInteger();
  @RegisterExtension static final WriteRig rig = WriteRig.gated();

  @AfterEach
  void dualWritesAgain() {
    rig.mode(WriteMode.DUAL_CLOUDINARY_PRIMARY);
  }

  @ParameterizedTest(name = "at S3 weight {0}")
  @ValueSource(ints = {0, 100})
  void aRemovedDocumentIsNotServedFromCloudinaryInS3Only(int weight) throws Exception {
    String prefix = "s3only-removed" + IDS.incrementAndGet();
    Doc destroyed = Doc.image(prefix + "/destroyed");
    Doc byId = Doc.image(prefix + "/by-id");
    Doc renamed = Doc.image(prefix + "/renamed");
    Doc target = Doc.image(prefix + "-moved/renamed");
    List<Doc> removed = List.of(destroyed, byId, renamed);
    for (Doc doc : removed) {
      migrated(doc);
    }
    rig.mode(WriteMode.S3_ONLY);
    rig.readWeight(weight);
    for (Doc doc : removed) {
      assertServed(doc, body(doc), weight == 0 ? "cloudinary" : "s3");
      assertThat(transformed(doc).statusCode()).as("transformation of %s", doc).isEqualTo(200);
      assertThat(signed(doc).statusCode()).as("signed URL of %s", doc).isEqualTo(200);
    }

    Map<?, ?> image = ObjectUtils.asMap("resource_type", "image");
    assertThat(
            RigClients.proxied(rig).uploader().destroy(destroyed.publicId(), image).get("result"))
        .isEqualTo("ok");
    assertThat(
            RigClients.proxied(rig)
                .api()
                .deleteResources(List.of(byId.publicId()), image)
                .get("deleted"))
        .isEqualTo(Map.of(byId.publicId(), "deleted"));
    RigClients.proxied(rig).uploader().rename(renamed.publicId(), target.publicId(), image);

    // S3 is unreachable while the documents are read, and Cloudinary still holds them: a 404 can
    // only come from the ledger.
    rig.s3Gate().fault(".*", FaultGate.Kind.CONNECTION_RESET);
    for (Doc doc : removed) {
      assertNotFoundAsForAMissingDocument(doc, prefix);
      // What Cloudinary answers itself must not reach it either: it still holds the document.
      assertThat(transformed(doc).statusCode()).as("transformation of %s", doc).isEqualTo(404);
      assertThat(signed(doc).statusCode()).as("signed URL of %s", doc).isEqualTo(404);
    }
    rig.s3Gate().heal();
    for (Doc doc : removed) {
      assertThat(rig.stores().row(doc.rt(), doc.publicId()).orElseThrow().state())
          .as("ledger %s", doc)
          .isEqualTo(S3State.DELETED);
      assertThat(rig.stores().s3(doc.path())).as("S3 %s", doc).isNull();
      assertThat(rig.stores().cloudinary(doc.path()))
          .as("Cloudinary keeps its copy of %s", doc)
          .isEqualTo(body(doc));
    }
    assertServed(target, body(renamed), "s3");
  }

  /**
   * An access-controlled document's tombstone keeps reads going to Cloudinary, which checks the
   * signature; destroyed through DocShift in {@code S3_ONLY} it becomes a removal, answered 404
   * from the ledger although Cloudinary keeps its copy.
   */
  @ParameterizedTest(name = "at S3 weight {0}")
  @ValueSource(ints = {0, 100})
  void aDestroyInS3OnlyTurnsAnAccessControlledTombstoneIntoARemoval(int weight) throws Exception {
    String prefix = "s3only-authn" + IDS.incrementAndGet();
    Doc doc = Doc.image(prefix + "/destroyed");
    Map<?, ?> options =
        ObjectUtils.asMap(
            "public_id", doc.publicId(), "resource_type", doc.rt(), "access_mode", "authenticated");
    RigClients.direct(rig).uploader().upload(body(doc), options);
    assertThat(rig.cli().backfillRelist(doc.publicId())).contains("access_controlled: 1");
    rig.mode(WriteMode.S3_ONLY);
    rig.readWeight(weight);
    assertThat(rig.get(doc.path()).statusCode())
        .as("Cloudinary refuses it unsigned")
        .isEqualTo(401);

    RigClients.proxied(rig)
        .uploader()
        .destroy(doc.publicId(), ObjectUtils.asMap("resource_type", "image"));

    DocumentRecord row = rig.stores().row(doc.rt(), doc.publicId()).orElseThrow();
    assertThat(row.tombstone()).isEqualTo(TombstoneReason.REMOVED);
    rig.s3Gate().fault(".*", FaultGate.Kind.CONNECTION_RESET);
    assertNotFoundAsForAMissingDocument(doc, prefix);
    rig.s3Gate().heal();
    assertThat(rig.stores().s3(doc.path())).as("S3").isNull();
    Map<?, ?> kept = RigClients.direct(rig).api().resource(doc.publicId(), ObjectUtils.emptyMap());
    assertThat(kept.get("access_mode")).as("Cloudinary keeps its copy").isEqualTo("authenticated");
  }

  /** In the dual modes a removal reaches Cloudinary as well, so Cloudinary's own 404 answers. */
  @ParameterizedTest(name = "{0}")
  @EnumSource(
      value = WriteMode.class,
      names = {"DUAL_CLOUDINARY_PRIMARY", "DUAL_S3_PRIMARY"})
  void aRemovalInADualModeReachesCloudinary(WriteMode mode) throws Exception {
    String prefix = "dual-removed" + IDS.incrementAndGet();
    Doc doc = Doc.image(prefix + "/destroyed");
    migrated(doc);
    rig.mode(mode);

    Map<?, ?> image = ObjectUtils.asMap("resource_type", "image");
    assertThat(RigClients.proxied(rig).uploader().destroy(doc.publicId(), image).get("result"))
        .isEqualTo("ok");

    assertThat(rig.stores().row(doc.rt(), doc.publicId()).orElseThrow().state())
        .isEqualTo(S3State.DELETED);
    assertThat(rig.stores().s3(doc.path())).as("S3").isNull();
    assertThat(rig.stores().cloudinary(doc.path())).as("Cloudinary").isNull();
    for (int weight : new int[] {0, 100}) {
      rig.readWeight(weight);
      HttpResponse<byte[]> read = rig.get(doc.path());
      assertThat(read.statusCode()).as("read at weight %s", weight).isEqualTo(404);
      assertThat(read.headers().firstValue("X-DocShift-Backend")).contains("cloudinary");
    }
  }

  /** Uploads {@code doc} to the emulator directly and backfills it: verified in both stores. */
  private static void migrated(Doc doc) throws Exception {
    Map<?, ?> options = ObjectUtils.asMap("public_id", doc.publicId(), "resource_type", doc.rt());
    RigClients.direct(rig).uploader().upload(body(doc), options);
    rig.cli().backfillRelist(doc.publicId());
    assertThat(rig.stores().row(doc.rt(), doc.publicId()).orElseThrow().state())
        .as("backfilled %s", doc)
        .isEqualTo(S3State.VERIFIED);
    assertThat(rig.stores().s3(doc.path())).isEqualTo(body(doc));
  }

  /** The read of {@code doc} answers as a read of a document nobody ever uploaded does. */
  private static void assertNotFoundAsForAMissingDocument(Doc doc, String prefix) throws Exception {
    HttpResponse<byte[]> read = rig.get(doc.path());
    assertThat(read.statusCode()).as("read %s", doc).isEqualTo(404);
    assertThat(read.body()).as("read %s", doc).isEmpty();
    assertThat(read.headers().firstValue("X-Cld-Error")).contains("Resource not found");
    assertThat(read.headers().firstValue("X-DocShift-Backend")).contains("cloudinary");
    HttpResponse<byte[]> missing = rig.get(Doc.image(prefix + "/never-uploaded").path());
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(read.headers().map().keySet())
        .as("same headers as Cloudinary's 404")
        .isEqualTo(missing.headers().map().keySet());
    assertThat(read.headers().firstValue("X-Cld-Error"))
        .isEqualTo(missing.headers().firstValue("X-Cld-Error"));
  }

  private static void assertServed(Doc doc, byte[] body, String backend) throws Exception {
    HttpResponse<byte[]> read = rig.get(doc.path());
    assertThat(read.statusCode()).as("read %s", doc).isEqualTo(200);
    assertThat(read.body()).isEqualTo(body);
    assertThat(read.headers().firstValue("X-DocShift-Backend")).contains(backend);
  }

  /** A transformation of {@code doc}: Cloudinary answers it itself. */
  private static HttpResponse<byte[]> transformed(Doc doc) throws Exception {
    return rig.get(doc.rt() + "/upload/w_100/" + doc.publicId() + "." + doc.format());
  }

  /** A signed upload-type URL of {@code doc}: Cloudinary answers it itself. */
  private static HttpResponse<byte[]> signed(Doc doc) throws Exception {
    return rig.get(RigClients.signedPath(rig, doc));
  }

  private static byte[] body(Doc doc) {
    return Bodies.pdf(25_000, doc.seed());
  }
}
