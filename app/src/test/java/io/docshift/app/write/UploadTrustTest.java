package io.docshift.app.write;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.docshift.app.sandbox.SandboxRunner;
import io.docshift.core.config.CloudinaryConfig;
import io.docshift.core.config.WriteMode;
import io.docshift.ledger.DocumentRecord;
import io.docshift.ledger.S3State;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * No store write before authentication: an upload DocShift or Cloudinary refuses (an upload preset
 * the account lacks, a signed-only preset used unsigned, a signed upload Cloudinary finds invalid)
 * leaves both stores, the ledger and what the proxy serves exactly as they were, in every write
 * mode that writes S3, with S3 read weight 100. Browser-style unsigned uploads with the account's
 * preset are accepted and copied to S3 under the key Cloudinary assigned; one naming an existing
 * public_id keeps the existing document. A write is read back through the same instance at once.
 */
@Timeout(300)
class UploadTrustTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final AtomicInteger IDS = new AtomicInteger();
  @RegisterExtension static final WriteRig rig = WriteRig.ungated();

  @ParameterizedTest
  @EnumSource(
      value = WriteMode.class,
      names = {"DUAL_CLOUDINARY_PRIMARY", "DUAL_S3_PRIMARY", "S3_ONLY"})
  void anUnsignedUploadWithAPresetTheAccountLacksChangesNothing(WriteMode mode) throws Exception {
    Doc victim = victim(mode);
    State before = switchedTo(mode, victim);

    for (String name : List.of("scan.pdf", "scan.jpg")) {
      byte[] other = name.endsWith(".pdf") ? Bodies.pdf(40_000, 7) : jpeg(30_000, 7);
      Map<String, String> params = new HashMap<>();
      params.put("upload_preset", "no-such-preset");
      params.put("public_id", victim.publicId());

      Reply r = post(victim.rt(), SignedForm.unsigned(params).file(other, name));

      assertThat(r.status()).as(r.text()).isEqualTo(400);
      assertThat(r.message())
          .isEqualTo(
              mode == WriteMode.S3_ONLY
                  ? "Unsigned and remote-URL uploads need Cloudinary (write mode S3_ONLY)"
                  : "Upload preset not found");
      assertUnchanged(victim, before);
      // A JPEG names another key (victim.jpg): no object may appear there either. (Cloudinary
      // delivers the victim's original under any extension, never the refused bytes.)
      String jpgKey = victim.rt() + "/upload/" + victim.publicId() + ".jpg";
      assertThat(rig.stores().s3(jpgKey)).as("new S3 object").isNull();
      assertThat(rig.stores().cloudinary(jpgKey)).as("Cloudinary").isNotEqualTo(other);
    }
  }

  @Test
  void aSignedOnlyPresetUsedUnsignedChangesNothing() throws Exception {
    WriteMode mode = WriteMode.DUAL_CLOUDINARY_PRIMARY;
    Doc victim = victim(mode);
    State before = switchedTo(mode, victim);
    Map<String, String> params = new HashMap<>();
    params.put("upload_preset", SandboxRunner.SIGNED_PRESET);
    params.put("public_id", victim.publicId());

    Reply r = post(victim.rt(), SignedForm.unsigned(params).file(Bodies.pdf(9_000, 3), "a.pdf"));

    assertThat(r.status()).as(r.text()).isEqualTo(400);
    assertThat(r.message()).isEqualTo("Upload preset must be whitelisted for unsigned uploads");
    assertUnchanged(victim, before);
  }

  @ParameterizedTest
  @EnumSource(
      value = WriteMode.class,
      names = {"DUAL_CLOUDINARY_PRIMARY", "DUAL_S3_PRIMARY"})
  void aSignedUploadCloudinaryRefusesChangesNothing(WriteMode mode) throws Exception {
    Doc victim = victim(mode);
    State before = switchedTo(mode, victim);

    // Not an image: Cloudinary (or DocShift, for S3-primary) answers "Invalid image file".
    Reply r =
        post(
            victim.rt(),
            signed(Map.of("public_id", victim.publicId())).file(Bodies.random(20_000, 5), "x.bin"));

    assertThat(r.status()).as(r.text()).isEqualTo(400);
    assertThat(r.message()).isEqualTo("Invalid image file");
    assertUnchanged(victim, before);
    assertThat(rig.stores().s3(victim.rt() + "/upload/" + victim.publicId() + ".bin")).isNull();
  }

  @ParameterizedTest
  @EnumSource(
      value = WriteMode.class,
      names = {"DUAL_CLOUDINARY_PRIMARY", "DUAL_S3_PRIMARY"})
  void aBrowserStyleUnsignedUploadIsCopiedUnderTheKeyCloudinaryAssigned(WriteMode mode)
      throws Exception {
    rig.mode(mode);
    rig.readWeight(100);
    byte[] named = Bodies.pdf(50_000, IDS.incrementAndGet());
    String id = "browser/" + mode.name().toLowerCase(Locale.ROOT) + "-" + IDS.incrementAndGet();

    Reply withId = post("image", preset(Map.of("public_id", id)).file(named, "scan.pdf"));
    Reply withoutId = post("raw", preset(Map.of()).file(Bodies.pdf(30_000, 11), "scan.pdf"));

    for (Reply r : List.of(withId, withoutId)) {
      assertThat(r.status()).as(r.text()).isEqualTo(200);
      JsonNode json = r.json();
      Doc doc =
          json.path("resource_type").asText().equals("image")
              ? Doc.image(json.path("public_id").asText())
              : Doc.raw(json.path("public_id").asText());
      byte[] stored = rig.stores().cloudinary(doc.path());
      assertThat(stored).isNotNull();
      assertThat(rig.stores().s3(doc.path())).isEqualTo(stored);
      DocumentRecord row = rig.stores().row(doc.rt(), doc.publicId()).orElseThrow();
      assertThat(row.state()).isEqualTo(S3State.VERIFIED);
      assertThat(row.asset().version()).isEqualTo(json.path("version").asLong());
      assertThat(row.s3().sha256()).isEqualTo(Bodies.sha256(stored));
      HttpResponse<byte[]> read = rig.get(doc.path());
      assertThat(read.body()).isEqualTo(stored);
      assertThat(read.headers().firstValue("X-DocShift-Backend")).contains("s3");
      assertThat(rig.stores().outbox(doc.rt(), doc.publicId())).isEmpty();
    }
    assertThat(withId.json().path("public_id").asText()).isEqualTo(id);
    assertThat(rig.stores().s3(Doc.image(id).path())).isEqualTo(named);
  }

  @ParameterizedTest
  @EnumSource(
      value = WriteMode.class,
      names = {"DUAL_CLOUDINARY_PRIMARY", "DUAL_S3_PRIMARY"})
  void anUnsignedUploadOfAnExistingPublicIdKeepsTheExistingDocument(WriteMode mode)
      throws Exception {
    Doc victim = victim(mode);
    State before = switchedTo(mode, victim);

    Reply r =
        post(
            victim.rt(),
            preset(Map.of("public_id", victim.publicId())).file(Bodies.pdf(8_000, 9), "a.pdf"));

    assertThat(r.status()).as(r.text()).isEqualTo(200);
    assertThat(r.json().path("existing").asBoolean()).isTrue();
    assertUnchanged(victim, before);
  }

  @Test
  void anUnsignedUploadIsRefusedInS3OnlyEvenWithTheAccountsPreset() throws Exception {
    rig.mode(WriteMode.S3_ONLY);
    Doc doc = Doc.image("browser/s3-only-" + IDS.incrementAndGet());

    Reply r =
        post(
            doc.rt(),
            preset(Map.of("public_id", doc.publicId())).file(Bodies.pdf(8_000, 1), "a.pdf"));

    assertThat(r.status()).as(r.text()).isEqualTo(400);
    assertThat(rig.stores().s3(doc.path())).isNull();
    assertThat(rig.stores().cloudinary(doc.path())).isNull();
    assertThat(rig.stores().row(doc.rt(), doc.publicId())).isEmpty();
    assertThat(rig.stores().outbox(doc.rt(), doc.publicId())).isEmpty();
  }

  /**
   * Read-your-write through the same instance: a read first caches the document's ledger row (or
   * its absence), then the upload, then a read at once returns the new bytes.
   */
  @ParameterizedTest
  @EnumSource(
      value = WriteMode.class,
      names = {"DUAL_CLOUDINARY_PRIMARY", "DUAL_S3_PRIMARY", "S3_ONLY"})
  void theNextReadThroughTheSameInstanceReturnsTheNewBytes(WriteMode mode) throws Exception {
    // S3_ONLY documents exist in S3 only, so only weight 100 can serve them at all.
    List<Integer> weights = mode == WriteMode.S3_ONLY ? List.of(100) : List.of(0, 50, 100);
    for (int weight : weights) {
      rig.mode(mode);
      rig.readWeight(weight);
      Doc doc = Doc.image("ryw/" + mode.name().toLowerCase(Locale.ROOT) + "-" + weight);
      assertThat(rig.get(doc.path()).statusCode()).isEqualTo(404);
      for (int round = 1; round <= 3; round++) {
        byte[] body = Bodies.pdf(20_000 + round, doc.seed() + round);
        Reply r = post(doc.rt(), signed(Map.of("public_id", doc.publicId())).file(body, "a.pdf"));
        assertThat(r.status()).as(r.text()).isEqualTo(200);

        HttpResponse<byte[]> read = rig.get(doc.path());

        assertThat(read.statusCode()).as("weight %d round %d", weight, round).isEqualTo(200);
        assertThat(read.body()).as("weight %d round %d", weight, round).isEqualTo(body);
      }
    }
  }

  /** A document uploaded (signed) in {@code DUAL_CLOUDINARY_PRIMARY}: in both stores, verified. */
  private static Doc victim(WriteMode mode) throws Exception {
    rig.mode(WriteMode.DUAL_CLOUDINARY_PRIMARY);
    Doc doc = Doc.image("victim/" + mode.name().toLowerCase(Locale.ROOT) + "-" + IDS.get());
    IDS.incrementAndGet();
    byte[] body = Bodies.pdf(60_000, doc.seed());
    Reply r = post(doc.rt(), signed(Map.of("public_id", doc.publicId())).file(body, "v.pdf"));
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    assertThat(rig.stores().row(doc.rt(), doc.publicId()).orElseThrow().state())
        .isEqualTo(S3State.VERIFIED);
    return doc;
  }

  /** Switches to {@code mode} at read weight 100; what {@code victim} is before the attempt. */
  private static State switchedTo(WriteMode mode, Doc victim) throws Exception {
    rig.mode(mode);
    rig.readWeight(100);
    return State.of(victim);
  }

  private static void assertUnchanged(Doc doc, State before) throws Exception {
    State now = State.of(doc);
    assertThat(now.s3()).as("S3 bytes").isEqualTo(before.s3());
    assertThat(now.cloudinary()).as("Cloudinary bytes").isEqualTo(before.cloudinary());
    assertThat(now.row()).as("ledger row").isEqualTo(before.row());
    assertThat(now.outbox()).as("outbox").isEmpty();
    HttpResponse<byte[]> read = rig.get(doc.path());
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(read.body()).as("served bytes").isEqualTo(before.s3());
  }

  private static SignedForm signed(Map<String, String> params) {
    CloudinaryConfig c = rig.stores().config().cloudinary();
    return SignedForm.of(params, c.apiKey(), c.apiSecret());
  }

  private static SignedForm preset(Map<String, String> params) {
    Map<String, String> all = new HashMap<>(params);
    all.put("upload_preset", SandboxRunner.UNSIGNED_PRESET);
    return SignedForm.unsigned(all);
  }

  /** A JPEG header (what DocShift and the emulator sniff) ahead of random bytes. */
  private static byte[] jpeg(int size, long seed) {
    byte[] body = Bodies.random(size, seed);
    byte[] head = {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xe0};
    System.arraycopy(head, 0, body, 0, head.length);
    return body;
  }

  private static Reply post(String resourceType, SignedForm form) throws Exception {
    URI url =
        URI.create(
            rig.proxyUrl() + "/v1_1/" + rig.stores().cloud() + "/" + resourceType + "/upload");
    HttpResponse<byte[]> r =
        HTTP.send(
            HttpRequest.newBuilder(url)
                .header("Content-Type", SignedForm.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(form.body()))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    return new Reply(r.statusCode(), r.body());
  }

  private record Reply(int status, byte[] body) {
    String text() {
      return new String(body, java.nio.charset.StandardCharsets.UTF_8);
    }

    JsonNode json() throws Exception {
      return JSON.readTree(body);
    }

    String message() throws Exception {
      return json().path("error").path("message").asText();
    }
  }

  /** What both stores and the ledger hold for one document. */
  private record State(
      byte[] s3, byte[] cloudinary, Optional<DocumentRecord> row, List<String> outbox) {
    static State of(Doc doc) throws Exception {
      return new State(
          rig.stores().s3(doc.path()),
          rig.stores().cloudinary(doc.path()),
          rig.stores().row(doc.rt(), doc.publicId()),
          rig.stores().outbox(doc.rt(), doc.publicId()));
    }
  }
}
