package io.docshift.app.write;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudinary.utils.ObjectUtils;
import io.docshift.ledger.S3State;
import io.docshift.testkit.Eventually;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code delete_token} minted by an upload through instance A and used through instance B of the
 * same ledger: B finds the token in the ledger, so the document is tombstoned and its S3 copy
 * deleted before B answers, and neither instance serves it at S3 weight 100, on H2 and PostgreSQL.
 * Before the fix B passed the token on and the ledger kept the document verified in S3.
 */
@Timeout(300)
class TokenAcrossInstancesTest {
  @TempDir Path dir;

  @Test
  void onH2() throws Exception {
    TwoInstances.onH2(dir, TokenAcrossInstancesTest::aTokenMintedOnAIsFollowedOnB);
  }

  @Test
  void onPostgres() throws Exception {
    TwoInstances.onPostgres(dir, TokenAcrossInstancesTest::aTokenMintedOnAIsFollowedOnB);
  }

  private static void aTokenMintedOnAIsFollowedOnB(WriteRig rig, URI b) throws Exception {
    Doc doc = Doc.image("token/minted-on-a");
    byte[] body = Bodies.pdf(30_000, 5);
    Map<?, ?> uploaded =
        TwoInstances.sdk(rig, rig.proxyUrl())
            .uploader()
            .upload(
                body,
                ObjectUtils.asMap(
                    "public_id", doc.publicId(),
                    "resource_type", doc.rt(),
                    "return_delete_token", true));
    String token = (String) uploaded.get("delete_token");
    assertThat(token).isNotBlank();
    assertThat(rig.stores().ledger().deleteTokens().count()).isEqualTo(1);
    Eventually.until(
        Duration.ofSeconds(2),
        () -> TwoInstances.read(rig, b, doc),
        r -> r.headers().firstValue("X-DocShift-Backend").orElse("").equals("s3"),
        "B to serve the upload from S3");

    Map<?, ?> answer = TwoInstances.sdk(rig, b).uploader().deleteByToken(token);

    assertThat(answer.get("result")).isEqualTo("ok");
    assertThat(rig.stores().row(doc.rt(), doc.publicId()).orElseThrow().state())
        .isEqualTo(S3State.DELETED);
    assertThat(rig.stores().cloudinary(doc.path())).isNull();
    assertThat(rig.stores().s3(doc.path())).as("S3 copy deleted by B").isNull();
    assertThat(rig.stores().outbox(doc.rt(), doc.publicId())).isEqualTo(List.of());
    assertThat(rig.stores().ledger().deleteTokens().count()).as("token used up").isZero();
    for (URI node : List.of(b, rig.proxyUrl())) {
      assertThat(
              Eventually.until(
                      Duration.ofSeconds(2),
                      () -> TwoInstances.read(rig, node, doc),
                      r -> r.statusCode() == 404,
                      node + " to stop serving the deleted document")
                  .statusCode())
          .isEqualTo(404);
    }
  }
}
