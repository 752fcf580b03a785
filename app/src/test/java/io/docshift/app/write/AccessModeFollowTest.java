package io.docshift.app.write;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cloudinary.Cloudinary;
import com.cloudinary.utils.ObjectUtils;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.docshift.core.config.CloudinaryConfig;
import io.docshift.core.config.WriteMode;
import io.docshift.ledger.S3State;
import io.docshift.testkit.Eventually;
import io.docshift.traffic.control.TrafficChange;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Admin API {@code update} of {@code access_mode} through DocShift with the real Java SDK: {@code
 * authenticated} stops S3 serving the document (Cloudinary, which checks signatures, answers the
 * unsigned URL) and removes the S3 copy; back to {@code public}, the repair worker copies it again
 * and S3 serves it. A refused update changes nothing in either store or the ledger.
 */
@Timeout(300)
class AccessModeFollowTest {
  private static final AtomicInteger IDS = new AtomicInteger();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension
  static final WriteRig rig = WriteRig.gated().inMode(WriteMode.DUAL_CLOUDINARY_PRIMARY);

  @ParameterizedTest(name = "at S3 weight {0}")
  @ValueSource(ints = {0, 100})
  void authenticatedIsNeverServedFromS3AndPublicComesBack(int weight) throws Exception {
    Doc doc = Doc.image("access" + IDS.incrementAndGet() + "/doc");
    byte[] body = Bodies.pdf(40_000, weight + 1);
    upload(doc, body);
    weight(100);
    assertThat(read(doc).headers().firstValue("X-DocShift-Backend")).contains("s3");
    weight(weight);

    assertThat(update(secret(), doc, "authenticated").get("access_mode"))
        .isEqualTo("authenticated");

    // Cloudinary refuses the unsigned URL with a 401, which DocShift relays as it is.
    HttpResponse<byte[]> refused = read(doc);
    assertThat(refused.statusCode()).as("unsigned URL right after the answer").isEqualTo(401);
    assertThat(refused.headers().firstValue("x-cld-error")).isPresent();
    assertThat(refused.body()).isNotEqualTo(body);
    assertThat(rig.stores().row(doc.rt(), doc.publicId()).orElseThrow().state())
        .isEqualTo(S3State.DELETED);
    assertThat(rig.stores().s3(doc.path())).isNull();
    // The probe's unsigned Cloudinary read is refused now; the Admin API shows the asset kept.
    Map<?, ?> kept = sdk().api().resource(doc.publicId(), ObjectUtils.emptyMap());
    assertThat(kept.get("access_mode")).isEqualTo("authenticated");
    assertThat(((Number) kept.get("bytes")).longValue()).isEqualTo(body.length);
    assertThat(rig.stores().outbox(doc.rt(), doc.publicId())).isEmpty();
    rig.cli().repairOnce();
    assertThat(rig.stores().s3(doc.path())).as("no repair copies it back").isNull();

    assertThat(update(secret(), doc, "public").get("access_mode")).isEqualTo("public");

    assertThat(rig.stores().cloudinary(doc.path())).isEqualTo(body);
    HttpResponse<byte[]> back = read(doc);
    assertThat(back.statusCode()).isEqualTo(200);
    assertThat(back.body()).isEqualTo(body);
    assertThat(rig.stores().outbox(doc.rt(), doc.publicId())).containsExactly("put");
    rig.cli().repairOnce();
    assertThat(rig.stores().row(doc.rt(), doc.publicId()).orElseThrow().state())
        .isEqualTo(S3State.VERIFIED);
    assertThat(rig.stores().s3(doc.path())).isEqualTo(body);
    weight(100);
    // The repair worker does not tell this instance's ledger cache, which held "not copied" from
    // the read above: S3 serves it once that entry expires (the cache TTL bounds the wait).
    HttpResponse<byte[]> fromS3 =
        Eventually.until(
            Duration.ofSeconds(15),
            () -> read(doc),
            r -> r.headers().firstValue("X-DocShift-Backend").orElse("").equals("s3"),
            "S3 serving the document again");
    assertThat(fromS3.body()).isEqualTo(body);
  }

  @Test
  void refusedUpdateChangesNothing() throws Exception {
    Doc doc = Doc.image("access-refused" + IDS.incrementAndGet() + "/doc");
    byte[] body = Bodies.pdf(30_000, 7);
    upload(doc, body);
    weight(100);
    assertThatThrownBy(() -> update("not-the-secret", doc, "authenticated"))
        .hasMessageContaining("api_secret mismatch");

    rig.stores().assertVerifiedInBoth(doc, body);
    HttpResponse<byte[]> r = read(doc);
    assertThat(r.body()).isEqualTo(body);
    assertThat(r.headers().firstValue("X-DocShift-Backend")).contains("s3");
    assertThat(sdk().api().resource(doc.publicId(), ObjectUtils.emptyMap()).get("access_mode"))
        .isEqualTo("public");
  }

  /**
   * The update as a form-encoded POST with Basic auth (the emulator decodes forms only; the Java
   * SDK sends the Admin API update as JSON, which DocShift reads but the emulator does not).
   */
  private static Map<?, ?> update(String secret, Doc doc, String mode) throws Exception {
    return updateAccessMode(
        rig.proxyUrl().toString(), rig.stores().config().cloudinary(), secret, doc, mode);
  }

  /**
   * The Admin API update of {@code doc}'s {@code access_mode} through DocShift at {@code proxyUrl}
   * (the Java SDK's {@code update} does not send it), with Basic {@code api_key:secret}.
   *
   * @throws IllegalStateException for any answer but 200
   */
  static Map<?, ?> updateAccessMode(
      String proxyUrl, CloudinaryConfig account, String secret, Doc doc, String mode)
      throws Exception {
    String auth = account.apiKey() + ":" + secret;
    URI url =
        URI.create(
            proxyUrl
                + "/v1_1/"
                + account.cloudName()
                + "/resources/"
                + doc.rt()
                + "/upload/"
                + doc.publicId());
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(url)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header(
                    "Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(auth.getBytes(UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString("access_mode=" + mode))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    Map<?, ?> answer = JSON.readValue(r.body(), Map.class);
    if (r.statusCode() != 200) {
      throw new IllegalStateException(r.statusCode() + " " + answer);
    }
    return answer;
  }

  private static void upload(Doc doc, byte[] body) throws Exception {
    sdk()
        .uploader()
        .upload(body, ObjectUtils.asMap("public_id", doc.publicId(), "resource_type", doc.rt()));
    assertThat(rig.stores().row(doc.rt(), doc.publicId()).orElseThrow().state())
        .isEqualTo(S3State.VERIFIED);
  }

  private static void weight(int percent) {
    rig.traffic(TrafficChange.builder().s3ReadPercent(percent).build());
  }

  private static HttpResponse<byte[]> read(Doc doc) throws Exception {
    return rig.get(doc.path());
  }

  private static String secret() {
    return rig.stores().config().cloudinary().apiSecret();
  }

  private static Cloudinary sdk() {
    return new Cloudinary(rig.cloudinaryUrl());
  }
}
