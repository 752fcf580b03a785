package io.docshift.app.write;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.docshift.app.repair.RepairRuntime;
import io.docshift.core.config.CloudinaryConfig;
import io.docshift.core.config.DocShiftConfig;
import io.docshift.core.config.WriteMode;
import io.docshift.core.metrics.MetricsRecorder;
import io.docshift.core.store.DocumentTurns;
import io.docshift.ledger.DocumentRecord;
import io.docshift.ledger.Ledger;
import io.docshift.ledger.LedgerSettings;
import io.docshift.ledger.S3State;
import io.docshift.testkit.MutableClock;
import io.docshift.write.ChunkSweep;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code upload_large} through two DocShift instances on one ledger and one S3 bucket, as a
 * round-robin balancer spreads it: chunks alternated and reversed over both instances, bad chunks
 * refused, a resend of the final chunk, and an instance killed ({@code kill -9} of a {@code
 * docshift serve} child) between chunks with the upload finished on the other, and an abandoned
 * upload dropped by the repair drain once its session expired. Each test checks both stores, the
 * ledger row, the repair outbox, and that no chunk temporaries or chunk rows are left.
 */
@Timeout(300)
class SpreadChunksTest {
  private static final int CHUNK = 70_000;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  @RegisterExtension static final WriteRig rig = WriteRig.ungated();
  private static List<URI> nodes;

  @TempDir static Path dir;

  @BeforeAll
  static void setUp() {
    nodes = List.of(rig.proxyUrl(), rig.startSecondNode());
  }

  @ParameterizedTest
  @EnumSource(
      value = WriteMode.class,
      names = {"DUAL_CLOUDINARY_PRIMARY", "DUAL_S3_PRIMARY", "S3_ONLY"})
  void chunksAlternatedOverTwoInstancesEndAsOneDocument(WriteMode mode) throws Exception {
    rig.mode(mode);
    Doc doc = Doc.raw("spread/alt-" + name(mode) + ".bin");
    byte[] body = Bodies.random(4 * CHUNK + 777, doc.seed());
    String session = "alt-" + name(mode);

    List<Reply> replies = new ArrayList<>();
    List<int[]> ranges = ranges(body.length);
    for (int i = 0; i < ranges.size(); i++) {
      replies.add(send(nodes.get(i % 2), doc, session, body, ranges.get(i), body.length));
    }

    assertThat(replies.subList(0, ranges.size() - 1))
        .allSatisfy(r -> assertThat(r.status()).as(r.toString()).isEqualTo(200));
    Reply last = replies.get(ranges.size() - 1);
    assertFinal(last, doc, body);
    assertStored(mode, doc, body, last.json().path("version").asLong());
  }

  @ParameterizedTest
  @EnumSource(
      value = WriteMode.class,
      names = {"DUAL_S3_PRIMARY", "S3_ONLY"})
  void chunksReversedOverTwoInstancesEndAsOneDocumentAndAResendWritesNothing(WriteMode mode)
      throws Exception {
    rig.mode(mode);
    Doc doc = Doc.raw("spread/rev-" + name(mode) + ".bin");
    byte[] body = Bodies.random(3 * CHUNK + 99, doc.seed());
    String session = "rev-" + name(mode);
    List<int[]> ranges = ranges(body.length);

    List<Reply> replies = new ArrayList<>();
    for (int i = ranges.size() - 1; i >= 0; i--) {
      replies.add(send(nodes.get(i % 2), doc, session, body, ranges.get(i), body.length));
    }

    assertThat(replies.subList(0, ranges.size() - 1))
        .allSatisfy(r -> assertThat(r.json().path("done").asBoolean(true)).isFalse());
    Reply completing = replies.get(ranges.size() - 1);
    assertFinal(completing, doc, body);
    long version = completing.json().path("version").asLong();
    assertStored(mode, doc, body, version);

    Reply resent = send(nodes.get(1), doc, session, body, ranges.get(0), body.length);
    assertThat(resent.json()).isEqualTo(completing.json());
    assertStored(mode, doc, body, version);
  }

  @Test
  void badChunksAreRefusedWith400AndLeaveNothingBehind() throws Exception {
    rig.mode(WriteMode.S3_ONLY);
    Doc doc = Doc.raw("spread/bad.bin");
    byte[] body = Bodies.random(2 * CHUNK, doc.seed());
    String session = "bad-chunks";
    int[] first = {0, CHUNK};
    int[] second = {CHUNK, 2 * CHUNK};
    assertThat(send(nodes.get(0), doc, session, body, first, body.length).status()).isEqualTo(200);
    List<String> temporaries = rig.stores().chunkTemporaries();

    List<Reply> refused =
        List.of(
            send(nodes.get(1), doc, session, body, new int[] {CHUNK / 2, CHUNK + 5}, body.length),
            send(nodes.get(1), doc, session, body, second, body.length + 10),
            sendDeclared(nodes.get(0), doc, session, new byte[100], "bytes 70000-70199/140000"),
            send(nodes.get(1), doc, session, Bodies.random(2 * CHUNK, 1), first, body.length));

    assertThat(refused)
        .allSatisfy(
            r -> {
              assertThat(r.status()).as(r.toString()).isEqualTo(400);
              assertThat(r.json().path("error").path("message").asText()).isNotBlank();
            });
    assertThat(rig.stores().chunkTemporaries()).isEqualTo(temporaries);
    assertThat(rig.stores().uploadSessions()).contains("bad-chunks open 1");
    assertThat(rig.stores().s3(doc.path())).isNull();
    assertThat(rig.stores().row(doc.rt(), doc.publicId())).isEmpty();

    Reply last = send(nodes.get(1), doc, session, body, second, body.length);
    assertFinal(last, doc, body);
    assertStored(WriteMode.S3_ONLY, doc, body, last.json().path("version").asLong());
  }

  @Test
  void anInstanceKilledBetweenChunksLeavesTheUploadToTheOther() throws Exception {
    rig.mode(WriteMode.DUAL_S3_PRIMARY);
    Doc doc = Doc.raw("spread/killed.bin");
    byte[] body = Bodies.random(4 * CHUNK, doc.seed());
    List<int[]> ranges = ranges(body.length);
    try (ServeChild child =
        ServeChild.start(rig.configFile(), dir.resolve("killed.log"), "repair.enabled=false")) {
      assertThat(send(child.url(), doc, "killed", body, ranges.get(0), -1).status()).isEqualTo(200);
      assertThat(send(child.url(), doc, "killed", body, ranges.get(2), -1).status()).isEqualTo(200);
      child.kill();
    }

    assertThat(send(nodes.get(0), doc, "killed", body, ranges.get(1), -1).status()).isEqualTo(200);
    Reply last = send(nodes.get(1), doc, "killed", body, ranges.get(3), body.length);

    assertFinal(last, doc, body);
    assertStored(WriteMode.DUAL_S3_PRIMARY, doc, body, last.json().path("version").asLong());
  }

  @Test
  void anAbandonedUploadIsDroppedWithItsTemporariesByTheRepairDrain() throws Exception {
    rig.mode(WriteMode.S3_ONLY);
    Doc doc = Doc.raw("spread/abandoned.bin");
    byte[] body = Bodies.random(2 * CHUNK, doc.seed());
    int[] first = {0, CHUNK};
    assertThat(send(nodes.get(0), doc, "abandoned", body, first, body.length).status())
        .isEqualTo(200);
    assertThat(rig.stores().chunkTemporaries()).contains("abandoned/0-" + (CHUNK - 1));

    // The repair drain of an instance whose ledger clock is past the sessions' lifetime.
    MutableClock later =
        new MutableClock(Instant.now().plus(ChunkSweep.SESSION_TTL).plusSeconds(60));
    DocShiftConfig config = rig.stores().config();
    try (Ledger ledger = Ledger.open(LedgerSettings.builder(config).clock(later).build());
        RepairRuntime repairs =
            RepairRuntime.open(config, ledger, MetricsRecorder.NOOP, DocumentTurns.NONE)) {
      repairs.runOnce();
    }

    assertThat(rig.stores().chunkTemporaries()).noneMatch(k -> k.startsWith("abandoned/"));
    assertThat(rig.stores().uploadSessions()).noneMatch(s -> s.startsWith("abandoned "));
    assertThat(rig.stores().s3(doc.path())).isNull();
    assertThat(rig.stores().row(doc.rt(), doc.publicId())).isEmpty();
  }

  private static void assertFinal(Reply reply, Doc doc, byte[] body) {
    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    assertThat(reply.json().path("public_id").asText()).isEqualTo(doc.publicId());
    assertThat(reply.json().path("etag").asText()).isEqualTo(Bodies.md5(body));
    assertThat(reply.json().path("bytes").asLong()).isEqualTo(body.length);
    assertThat(reply.json().has("done")).as("a final answer").isFalse();
  }

  /** Both stores, the ledger row, the outbox, and no chunk temporaries or chunk rows left. */
  private static void assertStored(WriteMode mode, Doc doc, byte[] body, long version)
      throws Exception {
    StoreProbe stores = rig.stores();
    assertThat(stores.s3(doc.path())).as("S3").isEqualTo(body);
    assertThat(stores.cloudinary(doc.path()))
        .as("Cloudinary")
        .isEqualTo(mode == WriteMode.S3_ONLY ? null : body);
    assertThat(stores.s3Metadata(doc.path()))
        .containsEntry("sha256", Bodies.sha256(body))
        .containsEntry("cloudinary-version", Long.toString(version));
    DocumentRecord row = stores.row(doc.rt(), doc.publicId()).orElseThrow();
    assertThat(row.state()).isEqualTo(S3State.VERIFIED);
    assertThat(row.s3().sha256()).isEqualTo(Bodies.sha256(body));
    assertThat(row.asset().version()).isEqualTo(version);
    assertThat(stores.outbox(doc.rt(), doc.publicId())).isEmpty();
    assertThat(stores.chunkTemporaries()).as("chunk temporaries").isEmpty();
    assertThat(stores.uploadSessions()).allSatisfy(s -> assertThat(s).endsWith(" done 0"));
  }

  private record Reply(int status, JsonNode json) {}

  private static Reply send(URI node, Doc doc, String session, byte[] body, int[] range, long total)
      throws Exception {
    byte[] bytes = Arrays.copyOfRange(body, range[0], range[1]);
    String declared = "bytes " + range[0] + "-" + (range[1] - 1) + "/" + (total < 0 ? "-1" : total);
    return sendDeclared(node, doc, session, bytes, declared);
  }

  /** One signed chunk of {@code bytes} with {@code Content-Range: declared}. */
  private static Reply sendDeclared(
      URI node, Doc doc, String session, byte[] bytes, String declared) throws Exception {
    CloudinaryConfig account = rig.stores().config().cloudinary();
    SignedForm form =
        SignedForm.of(Map.of("public_id", doc.publicId()), account.apiKey(), account.apiSecret())
            .file(bytes, "large.bin");
    URI url = URI.create(node + "/v1_1/" + account.cloudName() + "/" + doc.rt() + "/upload");
    HttpRequest request =
        HttpRequest.newBuilder(url)
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", SignedForm.contentType())
            .header("X-Unique-Upload-Id", session)
            .header("Content-Range", declared)
            .POST(HttpRequest.BodyPublishers.ofByteArray(form.body()))
            .build();
    HttpResponse<byte[]> r = HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
    return new Reply(r.statusCode(), JSON.readTree(r.body()));
  }

  private static List<int[]> ranges(int length) {
    List<int[]> ranges = new ArrayList<>();
    for (int start = 0; start < length; start += CHUNK) {
      ranges.add(new int[] {start, Math.min(length, start + CHUNK)});
    }
    return ranges;
  }

  private static String name(WriteMode mode) {
    return mode.name().toLowerCase(Locale.ROOT);
  }
}
