package io.docshift.app.write;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.docshift.core.config.CloudinaryConfig;
import io.docshift.core.config.WriteMode;
import io.docshift.ledger.DocumentRecord;
import io.docshift.ledger.RepairOperation;
import io.docshift.ledger.S3State;
import io.docshift.testkit.Eventually;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A {@code DUAL_CLOUDINARY_PRIMARY} upload of a new document (signed, no ledger row) is put to S3
 * while Cloudinary takes it, create-only and without a version claim: the object is in S3 before
 * Cloudinary answered. When Cloudinary accepts, the ledger records the version and the copier's
 * rules take the object as that version's; when Cloudinary refuses, the client gets the refusal and
 * S3, Cloudinary and the ledger are as before. Two writers of one new id through two instances end
 * consistent (one create-only put loses and falls back to the sequential path), and a client that
 * disconnects mid-body changes nothing. Cloudinary's answers are held back at a fault gate so the
 * parallel put is observable.
 */
@Timeout(300)
class ParallelCreateTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String UPLOADS = ".*/upload";
  private static final int HELD_MILLIS = 4_000;
  @RegisterExtension static final WriteRig rig = WriteRig.gated();

  @Test
  void aNewDocumentIsInS3BeforeCloudinaryAnswersAndTheRowCarriesTheVersion() throws Exception {
    rig.mode(WriteMode.DUAL_CLOUDINARY_PRIMARY);
    rig.readWeight(100);
    Doc doc = Doc.image("parallel/accepted");
    byte[] body = Bodies.pdf(300_000, doc.seed());
    rig.cloudinaryGate().delayAnswers("POST", UPLOADS, HELD_MILLIS);

    CompletableFuture<HttpResponse<byte[]>> reply = post(rig.proxyUrl(), doc, body);
    awaitInS3BeforeTheAnswer(doc, reply);

    HttpResponse<byte[]> r = reply.get(60, TimeUnit.SECONDS);
    assertThat(r.statusCode()).as(text(r)).isEqualTo(200);
    JsonNode answer = JSON.readTree(r.body());
    assertThat(rig.stores().s3(doc.path())).isEqualTo(body);
    assertThat(rig.stores().cloudinary(doc.path())).isEqualTo(body);
    assertThat(rig.stores().s3Metadata(doc.path())).doesNotContainKey("cloudinary-version");
    DocumentRecord row = rig.stores().row(doc.rt(), doc.publicId()).orElseThrow();
    assertThat(row.state()).isEqualTo(S3State.VERIFIED);
    assertThat(row.asset().version()).isEqualTo(answer.path("version").asLong());
    assertThat(row.s3().version()).isEqualTo(answer.path("version").asLong());
    assertThat(row.s3().sha256()).isEqualTo(Bodies.sha256(body));
    assertThat(rig.stores().outbox(doc.rt(), doc.publicId())).isEmpty();
    HttpResponse<byte[]> read = rig.get(doc.path());
    assertThat(read.body()).isEqualTo(body);
    assertThat(read.headers().firstValue("X-DocShift-Backend")).contains("s3");

    // The copier (here a repair of the document) takes the object as the row's version: held,
    // not copied again (a copy would add the version claim to its metadata).
    rig.stores()
        .ledger()
        .outbox()
        .enqueue(rig.stores().key(doc.rt(), doc.publicId()), RepairOperation.PUT, "test");
    assertThat(rig.cli().repairOnce()).isZero();
    assertThat(rig.stores().outbox(doc.rt(), doc.publicId())).isEmpty();
    assertThat(rig.stores().s3Metadata(doc.path())).doesNotContainKey("cloudinary-version");
    assertThat(rig.stores().row(doc.rt(), doc.publicId()).orElseThrow().state())
        .isEqualTo(S3State.VERIFIED);
  }

  @Test
  void cloudinaryRefusingANewDocumentS3AlreadyTookLeavesNeitherStoreNorTheLedgerChanged()
      throws Exception {
    rig.mode(WriteMode.DUAL_CLOUDINARY_PRIMARY);
    Doc doc = Doc.image("parallel/refused");
    rig.cloudinaryGate().faultAfter("POST", UPLOADS, FaultGate.Kind.HTTP_400, HELD_MILLIS);

    CompletableFuture<HttpResponse<byte[]>> reply =
        post(rig.proxyUrl(), doc, Bodies.pdf(200_000, doc.seed()));
    awaitInS3BeforeTheAnswer(doc, reply);

    HttpResponse<byte[]> r = reply.get(60, TimeUnit.SECONDS);
    assertThat(r.statusCode()).as(text(r)).isEqualTo(400);
    assertThat(JSON.readTree(r.body()).path("error").path("message").asText())
        .isEqualTo("injected 400 in front of the store");
    assertThat(rig.stores().s3(doc.path())).as("S3").isNull();
    assertThat(rig.stores().cloudinary(doc.path())).as("Cloudinary").isNull();
    assertThat(rig.stores().row(doc.rt(), doc.publicId())).as("ledger row").isEmpty();
    assertThat(rig.stores().outbox(doc.rt(), doc.publicId())).as("outbox").isEmpty();
  }

  @Test
  void twoWritersOfOneNewIdThroughTwoInstancesEndConsistent() throws Exception {
    URI second = rig.startSecondNode();
    rig.mode(WriteMode.DUAL_CLOUDINARY_PRIMARY);
    Doc doc = Doc.image("parallel/two-writers");
    byte[] first = Bodies.pdf(150_000, doc.seed());
    byte[] other = Bodies.pdf(160_000, doc.seed() + 1);
    rig.cloudinaryGate().delayAnswers("POST", UPLOADS, 1_500);

    List<CompletableFuture<HttpResponse<byte[]>>> replies =
        List.of(post(rig.proxyUrl(), doc, first), post(second, doc, other));

    Set<String> acknowledged = new java.util.HashSet<>();
    for (int i = 0; i < 2; i++) {
      HttpResponse<byte[]> r = replies.get(i).get(60, TimeUnit.SECONDS);
      assertThat(r.statusCode()).as(text(r)).isEqualTo(200);
      acknowledged.add(Bodies.sha256(i == 0 ? first : other));
    }
    rig.cloudinaryGate().heal();
    rig.drain(doc);
    byte[] s3 = rig.stores().s3(doc.path());
    assertThat(s3).as("S3").isNotNull();
    assertThat(Bodies.sha256(s3)).isEqualTo(Bodies.sha256(rig.stores().cloudinary(doc.path())));
    assertThat(acknowledged).contains(Bodies.sha256(s3));
    DocumentRecord row = rig.stores().row(doc.rt(), doc.publicId()).orElseThrow();
    assertThat(row.state()).isEqualTo(S3State.VERIFIED);
    assertThat(row.s3().sha256()).isEqualTo(Bodies.sha256(s3));
  }

  @Test
  void aClientThatDisconnectsMidBodyChangesNeitherStore() throws Exception {
    rig.mode(WriteMode.DUAL_CLOUDINARY_PRIMARY);
    Doc cut = Doc.image("parallel/cut-off");
    byte[] form = signed(cut).file(Bodies.pdf(2_000_000, cut.seed()), "doc.pdf").body();
    try (Socket socket = new Socket(rig.proxyUrl().getHost(), rig.proxyUrl().getPort())) {
      OutputStream out = socket.getOutputStream();
      String head =
          "POST /v1_1/"
              + rig.stores().cloud()
              + "/image/upload HTTP/1.1\r\nHost: localhost\r\nContent-Type: "
              + SignedForm.contentType()
              + "\r\nContent-Length: "
              + form.length
              + "\r\n\r\n";
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      out.write(form, 0, form.length / 2);
      out.flush();
    }
    // The next upload through the same instance is answered: the cut-off one was dropped.
    Doc after = Doc.image("parallel/after-cut");
    byte[] body = Bodies.pdf(50_000, after.seed());
    assertThat(post(rig.proxyUrl(), after, body).get(60, TimeUnit.SECONDS).statusCode())
        .isEqualTo(200);

    assertThat(rig.stores().s3(cut.path())).as("S3").isNull();
    assertThat(rig.stores().cloudinary(cut.path())).as("Cloudinary").isNull();
    assertThat(rig.stores().row(cut.rt(), cut.publicId())).as("ledger row").isEmpty();
    assertThat(rig.stores().outbox(cut.rt(), cut.publicId())).as("outbox").isEmpty();
    rig.stores().assertVerifiedInBoth(after, body);
  }

  /** S3 holds the document while the client still waits for Cloudinary's held-back answer. */
  private static void awaitInS3BeforeTheAnswer(
      Doc doc, CompletableFuture<HttpResponse<byte[]>> reply) {
    Eventually.until(
        Duration.ofMillis(HELD_MILLIS),
        () -> reply.isDone() || rig.stores().s3(doc.path()) != null,
        "S3 to hold " + doc.path() + " or the answer");
    assertThat(reply).as("answered before S3 held the document").isNotDone();
  }

  private static SignedForm signed(Doc doc) {
    CloudinaryConfig c = rig.stores().config().cloudinary();
    return SignedForm.of(Map.of("public_id", doc.publicId()), c.apiKey(), c.apiSecret());
  }

  private static CompletableFuture<HttpResponse<byte[]>> post(URI node, Doc doc, byte[] body) {
    URI url = URI.create(node + "/v1_1/" + rig.stores().cloud() + "/" + doc.rt() + "/upload");
    return HTTP.sendAsync(
        HttpRequest.newBuilder(url)
            .header("Content-Type", SignedForm.contentType())
            .POST(HttpRequest.BodyPublishers.ofByteArray(signed(doc).file(body, "doc.pdf").body()))
            .build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String text(HttpResponse<byte[]> r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }
}
