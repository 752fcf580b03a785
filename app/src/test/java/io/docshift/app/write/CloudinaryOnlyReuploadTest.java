package io.docshift.app.write;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudinary.Cloudinary;
import com.cloudinary.utils.ObjectUtils;
import io.docshift.core.config.WriteMode;
import io.docshift.ledger.DocumentRecord;
import io.docshift.ledger.S3State;
import io.docshift.traffic.control.TrafficChange;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Bug: in {@code CLOUDINARY_ONLY} an upload was not queued per id and its ledger upsert kept a
 * tombstone of the same or a higher version. Cloudinary numbers an upload after a destroy by the
 * clock, below the version that quick overwrites before the destroy reached, so a document
 * destroyed and uploaded again stayed a tombstone in the ledger while Cloudinary held it: the
 * backfill never copied it (a tombstone is never resurrected by a listing), and after the switch to
 * dual writes it was never served from S3 at weight 100 — and would be lost with Cloudinary. As a
 * user does it, with the real Java SDK through DocShift.
 */
@Timeout(300)
class CloudinaryOnlyReuploadTest {
  @RegisterExtension static final WriteRig rig = WriteRig.gated();

  @Test
  void aDocumentDestroyedAndUploadedAgainIsBackfilledAndServedFromS3() throws Exception {
    rig.mode(WriteMode.CLOUDINARY_ONLY);
    Doc doc = Doc.raw("reupload/doc.bin");
    long destroyedVersion = 0;
    for (int i = 1; i <= 5; i++) {
      destroyedVersion = version(upload(doc, Bodies.random(10_000, i)));
    }
    Map<?, ?> destroyed =
        sdk().uploader().destroy(doc.publicId(), ObjectUtils.asMap("resource_type", "raw"));
    assertThat(destroyed.get("result")).isEqualTo("ok");
    byte[] last = Bodies.random(12_000, 99);

    long reuploaded = version(upload(doc, last));

    assertThat(reuploaded)
        .as("Cloudinary's version after the destroy")
        .isLessThan(destroyedVersion);
    DocumentRecord row = rig.stores().row(doc.rt(), doc.publicId()).orElseThrow();
    assertThat(row.state()).as("ledger after the upload").isNotEqualTo(S3State.DELETED);
    assertThat(row.asset().version()).isEqualTo(reuploaded);

    rig.mode(WriteMode.DUAL_CLOUDINARY_PRIMARY);
    rig.cli().backfill();
    rig.traffic(TrafficChange.builder().s3ReadPercent(100).build());

    HttpResponse<byte[]> read = rig.get(doc.path());
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(read.body()).isEqualTo(last);
    assertThat(read.headers().firstValue("X-DocShift-Backend")).contains("s3");
    rig.assertHolds(doc.publicId(), last);
  }

  private static Map<?, ?> upload(Doc doc, byte[] body) throws Exception {
    return sdk()
        .uploader()
        .upload(body, ObjectUtils.asMap("public_id", doc.publicId(), "resource_type", doc.rt()));
  }

  private static long version(Map<?, ?> answer) {
    return ((Number) answer.get("version")).longValue();
  }

  private static Cloudinary sdk() {
    return new Cloudinary(rig.cloudinaryUrl());
  }
}
