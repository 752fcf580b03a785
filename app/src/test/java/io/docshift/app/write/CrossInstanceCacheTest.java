package io.docshift.app.write;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudinary.Cloudinary;
import com.cloudinary.utils.ObjectUtils;
import io.docshift.ledger.DocumentRecord;
import io.docshift.ledger.S3State;
import io.docshift.testkit.Eventually;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two DocShift instances on one ledger, S3 weight 100, each with the default 5 s ledger-row cache:
 * a destroy or an overwrite through instance A reaches instance B's reads within 2 s, on H2 and on
 * PostgreSQL. The destroy's S3 delete is refused, so S3 still holds the bytes and only B's cache
 * could make it serve them; the overwrite leaves B's cache expecting the old bytes' digest.
 */
@Timeout(300)
class CrossInstanceCacheTest {
  private static final long PROMISE_MILLIS = 2_000;

  @TempDir Path dir;

  @Test
  void onH2() throws Exception {
    TwoInstances.onH2(dir, CrossInstanceCacheTest::destroyAndOverwriteReachTheOtherInstance);
  }

  @Test
  void onPostgres() throws Exception {
    TwoInstances.onPostgres(dir, CrossInstanceCacheTest::destroyAndOverwriteReachTheOtherInstance);
  }

  private static void destroyAndOverwriteReachTheOtherInstance(WriteRig rig, URI b)
      throws Exception {
    destroyThroughA(rig, b);
    overwriteThroughA(rig, b);
  }

  private static void destroyThroughA(WriteRig rig, URI b) throws Exception {
    Doc doc = Doc.image("notify/destroyed");
    byte[] body = Bodies.pdf(40_000, 1);
    upload(rig, doc, body);
    assertServedFromS3(rig, b, doc, body);
    rig.s3Gate().fault("DELETE", ".*", FaultGate.Kind.HTTP_500);
    try {
      Map<?, ?> answer =
          sdk(rig).uploader().destroy(doc.publicId(), ObjectUtils.asMap("resource_type", "image"));
      assertThat(answer.get("result")).isEqualTo("ok");

      awaitOnB(rig, b, doc, r -> r.statusCode() == 404);
      assertThat(rig.stores().row(doc.rt(), doc.publicId()).orElseThrow().state())
          .isEqualTo(S3State.DELETED);
      assertThat(rig.stores().cloudinary(doc.path())).isNull();
      assertThat(rig.stores().s3(doc.path())).as("S3 refused the delete").isEqualTo(body);
      assertThat(rig.stores().outbox(doc.rt(), doc.publicId())).containsExactly("delete");
    } finally {
      rig.s3Gate().heal();
    }
  }

  private static void overwriteThroughA(WriteRig rig, URI b) throws Exception {
    Doc doc = Doc.image("notify/overwritten");
    byte[] first = Bodies.pdf(40_000, 2);
    byte[] second = Bodies.pdf(41_000, 3);
    upload(rig, doc, first);
    assertServedFromS3(rig, b, doc, first);

    upload(rig, doc, second);

    awaitOnB(
        rig,
        b,
        doc,
        r ->
            Arrays.equals(r.body(), second)
                && r.headers().firstValue("X-DocShift-Backend").orElse("").equals("s3"));
    DocumentRecord row = rig.stores().row(doc.rt(), doc.publicId()).orElseThrow();
    assertThat(row.state()).as("no false mismatch from a stale digest").isEqualTo(S3State.VERIFIED);
    assertThat(row.s3().sha256()).isEqualTo(Bodies.sha256(second));
    assertThat(rig.stores().s3(doc.path())).isEqualTo(second);
    assertThat(rig.stores().cloudinary(doc.path())).isEqualTo(second);
    assertThat(rig.stores().outbox(doc.rt(), doc.publicId())).isEqualTo(List.of());
  }

  /**
   * Both instances serve {@code body} from S3, so B's cache holds a verified row. B obeys the
   * weight set through A within the traffic state's own 2 s bound, hence the wait.
   */
  private static void assertServedFromS3(WriteRig rig, URI b, Doc doc, byte[] body) {
    assertThat(rig.stores().row(doc.rt(), doc.publicId()).orElseThrow().state())
        .isEqualTo(S3State.VERIFIED);
    for (URI node : List.of(rig.proxyUrl(), b)) {
      HttpResponse<byte[]> r =
          Eventually.until(
              Duration.ofMillis(PROMISE_MILLIS),
              () -> TwoInstances.read(rig, node, doc),
              x -> x.headers().firstValue("X-DocShift-Backend").orElse("").equals("s3"),
              node + " to serve " + doc.publicId() + " from S3");
      assertThat(r.body()).as("served by " + node).isEqualTo(body);
    }
  }

  /** Reads through B until {@code done}, at most the 2 s promise; logs how long it took. */
  private static void awaitOnB(WriteRig rig, URI b, Doc doc, Predicate<HttpResponse<byte[]>> done) {
    long start = System.nanoTime();
    Eventually.until(
        Duration.ofMillis(PROMISE_MILLIS),
        () -> readOrAborted(rig, b, doc),
        r -> r != null && done.test(r),
        "instance B to see the change made through A to " + doc.publicId());
    long took = (System.nanoTime() - start) / 1_000_000;
    System.out.printf("B saw the change to %s after %d ms%n", doc.publicId(), took);
  }

  private static void upload(WriteRig rig, Doc doc, byte[] body) throws Exception {
    Map<?, ?> answer =
        sdk(rig)
            .uploader()
            .upload(
                body, ObjectUtils.asMap("public_id", doc.publicId(), "resource_type", doc.rt()));
    assertThat(answer.get("public_id")).isEqualTo(doc.publicId());
  }

  /**
   * A read through {@code node}, or null when the transfer was aborted: B aborts a body whose
   * digest is not the one its stale cache expects, which the wait treats as "not yet".
   */
  private static HttpResponse<byte[]> readOrAborted(WriteRig rig, URI node, Doc doc)
      throws Exception {
    try {
      return TwoInstances.read(rig, node, doc);
    } catch (IOException aborted) {
      return null;
    }
  }

  private static Cloudinary sdk(WriteRig rig) {
    return new Cloudinary(rig.cloudinaryUrl());
  }
}
