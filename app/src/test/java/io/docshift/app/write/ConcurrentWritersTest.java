package io.docshift.app.write;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.core.config.CloudinaryConfig;
import io.docshift.core.config.WriteMode;
import io.docshift.ledger.DocumentRecord;
import io.docshift.ledger.S3State;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Concurrent writers of one public_id, through two DocShift instances sharing the stores and the
 * ledger: 8 clients upload different bytes at once (signed), several rounds. Once the repair worker
 * has drained the outbox, both stores hold the same bytes, those bytes are one of the acknowledged
 * writes, no repair row is left, and a verified ledger row names exactly those bytes.
 */
@Timeout(300)
class ConcurrentWritersTest {
  private static final int WRITERS = 8;
  private static final int ROUNDS = 4;
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  @RegisterExtension static final WriteRig rig = WriteRig.ungated();
  private static List<URI> nodes;

  @BeforeAll
  static void setUp() {
    nodes = List.of(rig.proxyUrl(), rig.startSecondNode());
  }

  @ParameterizedTest
  @EnumSource(
      value = WriteMode.class,
      names = {"DUAL_CLOUDINARY_PRIMARY", "DUAL_S3_PRIMARY"})
  void concurrentOverwritesConvergeOnOneAcknowledgedWrite(WriteMode mode) throws Exception {
    rig.mode(mode);
    for (int round = 1; round <= ROUNDS; round++) {
      Doc doc = Doc.image("race/" + mode.name().toLowerCase(Locale.ROOT) + "-" + round);
      Set<String> acknowledged = uploadAtOnce(doc, round);
      assertThat(acknowledged).as("acknowledged writes").isNotEmpty();

      rig.drain(doc);

      byte[] s3 = rig.stores().s3(doc.path());
      byte[] cloudinary = rig.stores().cloudinary(doc.path());
      assertThat(s3).as("S3").isNotNull();
      assertThat(sha(cloudinary)).as("Cloudinary, round %d", round).isEqualTo(sha(s3));
      assertThat(acknowledged).as("an acknowledged write").contains(Bodies.sha256(s3));
      DocumentRecord row = rig.stores().row(doc.rt(), doc.publicId()).orElseThrow();
      if (row.state() == S3State.VERIFIED) {
        assertThat(row.s3().sha256()).as("verified row names S3's bytes").isEqualTo(sha(s3));
      }
    }
  }

  /** {@link #WRITERS} signed uploads of different bytes, released at once, over both nodes. */
  private static Set<String> uploadAtOnce(Doc doc, int round) throws Exception {
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService clients = Executors.newFixedThreadPool(WRITERS);
    try {
      List<Future<Integer>> statuses = new ArrayList<>();
      for (int i = 0; i < WRITERS; i++) {
        byte[] body = Bodies.pdf(40_000 + i * 1000, doc.seed() * 31 + round * 100 + i);
        URI node = nodes.get(i % nodes.size());
        statuses.add(
            clients.submit(
                () -> {
                  start.await();
                  int status = post(node, doc, body);
                  if (status == 200) {
                    acknowledged.add(Bodies.sha256(body));
                  }
                  return status;
                }));
      }
      start.countDown();
      for (Future<Integer> status : statuses) {
        assertThat(status.get(120, TimeUnit.SECONDS)).as("upload status").isEqualTo(200);
      }
    } finally {
      clients.shutdownNow();
    }
    return acknowledged;
  }

  private static int post(URI node, Doc doc, byte[] body) throws Exception {
    CloudinaryConfig c = rig.stores().config().cloudinary();
    SignedForm form =
        SignedForm.of(Map.of("public_id", doc.publicId()), c.apiKey(), c.apiSecret())
            .file(body, "doc.pdf");
    URI url = URI.create(node + "/v1_1/" + c.cloudName() + "/" + doc.rt() + "/upload");
    return HTTP.send(
            HttpRequest.newBuilder(url)
                .header("Content-Type", SignedForm.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(form.body()))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private static String sha(byte[] bytes) {
    return bytes == null ? null : Bodies.sha256(bytes);
  }
}
