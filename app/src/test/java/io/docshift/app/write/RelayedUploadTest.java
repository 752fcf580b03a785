package io.docshift.app.write;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.core.config.CloudinaryConfig;
import io.docshift.core.config.WriteMode;
import io.docshift.testkit.Eventually;
import io.docshift.testkit.TcpRelay;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code DUAL_CLOUDINARY_PRIMARY} uploads relayed to Cloudinary while the client's body arrives,
 * through a {@link TcpRelay} in front of the emulator that counts the bytes Cloudinary's requests
 * carry (and cuts or answers them where a test says): Cloudinary has the body's first half while
 * the client still holds back the rest; a client gone mid-body, an early refusal, a connection cut
 * mid-body and a field after the file part each leave both stores and the ledger as they were, and
 * no spool file behind.
 */
@Timeout(120)
class RelayedUploadTest {
  private static final int SIZE = 2_000_000;
  private static final Upstream UPSTREAM = new Upstream();

  @RegisterExtension
  static final WriteRig rig =
      WriteRig.relayed(UPSTREAM::rule).inMode(WriteMode.DUAL_CLOUDINARY_PRIMARY);

  @BeforeEach
  void reset() {
    UPSTREAM.reset();
  }

  @Test
  void cloudinaryHasTheBodysFirstHalfBeforeTheClientSendsTheRest() throws Exception {
    Doc doc = Doc.raw("relay/streamed");
    byte[] file = Bodies.random(SIZE, 1);
    byte[] body = form(doc, file).body();
    String answer =
        inTwoHalves(doc, body, upstreamHas(SIZE / 4), "Cloudinary's request to carry bytes");
    assertThat(answer).startsWith("HTTP/1.1 200");
    rig.assertHolds(doc.publicId(), file);
    assertThat(rig.stores().outbox(doc.rt(), doc.publicId())).isEmpty();
    awaitNoSpool();
  }

  @Test
  void aClientGoneMidBodyLeavesBothStoresAndTheLedgerAsTheyWere() throws Exception {
    Doc doc = Doc.raw("relay/client-gone");
    byte[] body = form(doc, Bodies.random(SIZE, 2)).body();
    try (RawUpload upload = RawUpload.open(doc, body)) {
      upload.send(0, body.length / 2);
      Eventually.until(
          Duration.ofSeconds(20), upstreamHas(SIZE / 4), "Cloudinary's request to carry bytes");
      upload.reset();
    }
    awaitNoSpool();
    assertUntouched(doc);
  }

  @Test
  void cloudinarysEarlyRefusalIsTheAnswerAndS3StaysUntouched() throws Exception {
    Doc doc = Doc.raw("relay/refused-early");
    byte[] body = form(doc, Bodies.random(SIZE, 3)).body();
    UPSTREAM.refuseAfter(SIZE / 4);
    String answer = inTwoHalves(doc, body, UPSTREAM.acted::get, "Cloudinary's early refusal");
    assertThat(answer).startsWith("HTTP/1.1 400").contains("refused early");
    awaitNoSpool();
    assertUntouched(doc);
  }

  @Test
  void aCloudinaryConnectionCutMidBodyIsAnsweredAsAFailedUploadIs() throws Exception {
    Doc unsigned = Doc.raw("relay/cut-unsigned");
    byte[] whole = SignedForm.unsigned(params(unsigned)).file(Bodies.random(SIZE, 4)).body();
    UPSTREAM.resetAfter(SIZE / 4);
    String today;
    try (RawUpload upload = RawUpload.open(unsigned, whole)) {
      upload.send(0, whole.length);
      today = statusLine(upload.answer());
    }
    UPSTREAM.reset();
    Doc doc = Doc.raw("relay/cut");
    byte[] body = form(doc, Bodies.random(SIZE, 5)).body();
    UPSTREAM.resetAfter(SIZE / 4);
    String answer = inTwoHalves(doc, body, UPSTREAM.acted::get, "the cut");
    assertThat(statusLine(answer)).isEqualTo(today).doesNotStartWith("HTTP/1.1 200");
    awaitNoSpool();
    assertUntouched(doc);
  }

  @Test
  void aFieldAfterTheFilePartIsJudgedOnTheWholeFormAndCutsTheRelay() throws Exception {
    Doc doc = Doc.raw("relay/late-field");
    byte[] signed = form(doc, Bodies.random(SIZE, 6)).body();
    String end = "--" + SignedForm.BOUNDARY + "--\r\n";
    String late =
        "--"
            + SignedForm.BOUNDARY
            + "\r\nContent-Disposition: form-data; name=\"tags\"\r\n\r\nunsigned\r\n"
            + end;
    byte[] body = concat(Arrays.copyOf(signed, signed.length - end.length()), late);
    String answer =
        inTwoHalves(doc, body, upstreamHas(SIZE / 4), "the relay to start on the first fields");
    assertThat(answer).startsWith("HTTP/1.1 401").contains("Invalid Signature");
    awaitNoSpool();
    assertUntouched(doc);
  }

  private static void assertUntouched(Doc doc) throws Exception {
    assertThat(rig.stores().s3(doc.path())).as("S3").isNull();
    assertThat(rig.stores().cloudinary(doc.path())).as("Cloudinary").isNull();
    assertThat(rig.stores().row(doc.rt(), doc.publicId())).as("ledger row").isEmpty();
    assertThat(rig.stores().outbox(doc.rt(), doc.publicId())).as("outbox").isEmpty();
  }

  private static Eventually.Condition upstreamHas(long bytes) {
    return () -> UPSTREAM.seen.get() >= bytes;
  }

  /**
   * Uploads {@code body}: its first half, then, once {@code between} holds (bounded: on a path that
   * waits for the whole body it never does), the rest; returns the answer.
   */
  private static String inTwoHalves(Doc doc, byte[] body, Eventually.Condition between, String what)
      throws IOException {
    try (RawUpload upload = RawUpload.open(doc, body)) {
      upload.send(0, body.length / 2);
      Eventually.until(Duration.ofSeconds(20), between, what);
      upload.send(body.length / 2, body.length);
      return upload.answer();
    }
  }

  private static void awaitNoSpool() {
    Eventually.until(
        Duration.ofSeconds(20),
        () -> {
          if (!Files.exists(rig.spoolDir())) {
            return true;
          }
          // The node's run directory stays; each call's directory goes with its call.
          try (Stream<Path> calls = Files.walk(rig.spoolDir())) {
            return calls.noneMatch(p -> p.getFileName().toString().startsWith("call-"));
          }
        },
        "no call's spool directory left");
  }

  private static Map<String, String> params(Doc doc) {
    return Map.of("public_id", doc.publicId());
  }

  private static SignedForm form(Doc doc, byte[] file) {
    CloudinaryConfig c = rig.stores().config().cloudinary();
    return SignedForm.of(params(doc), c.apiKey(), c.apiSecret()).file(file, "doc.bin");
  }

  private static String statusLine(String answer) {
    return answer.substring(0, answer.indexOf("\r\n"));
  }

  private static byte[] concat(byte[] head, String tail) {
    byte[] more = tail.getBytes(StandardCharsets.ISO_8859_1);
    byte[] out = Arrays.copyOf(head, head.length + more.length);
    System.arraycopy(more, 0, out, head.length, more.length);
    return out;
  }

  /** Counts the bytes of Cloudinary's requests; refuses or cuts them past a threshold. */
  private static final class Upstream {
    static final byte[] REFUSAL =
        ("HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: 39\r\n"
                + "Connection: close\r\n\r\n{\"error\":{\"message\":\"refused early\"}}\r\n")
            .getBytes(StandardCharsets.ISO_8859_1);

    final AtomicLong seen = new AtomicLong();
    final AtomicBoolean acted = new AtomicBoolean();
    volatile long refuseAfter;
    volatile long resetAfter;

    void reset() {
      seen.set(0);
      acted.set(false);
      refuseAfter = Long.MAX_VALUE;
      resetAfter = Long.MAX_VALUE;
    }

    void refuseAfter(long bytes) {
      refuseAfter = bytes;
    }

    void resetAfter(long bytes) {
      resetAfter = bytes;
    }

    TcpRelay.Rule rule() {
      return new TcpRelay.Rule() {
        @Override
        public boolean request(byte[] buffer, int n, TcpRelay.Link link) throws IOException {
          long total = seen.addAndGet(n);
          if (total >= refuseAfter) {
            link.toClient().write(REFUSAL);
            link.toClient().flush();
            acted.set(true);
            return false;
          }
          if (total >= resetAfter) {
            acted.set(true);
            link.reset();
            return false;
          }
          return true;
        }
      };
    }
  }

  /** A client on a raw socket, so it can send a body in parts and vanish between them. */
  private static final class RawUpload implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final byte[] body;

    private RawUpload(Socket socket, byte[] body) throws IOException {
      this.socket = socket;
      this.out = socket.getOutputStream();
      this.body = body;
    }

    static RawUpload open(Doc doc, byte[] body) throws IOException {
      URI proxy = rig.proxyUrl();
      Socket socket = new Socket(proxy.getHost(), proxy.getPort());
      RawUpload upload = new RawUpload(socket, body);
      String head =
          "POST /v1_1/"
              + rig.stores().cloud()
              + "/"
              + doc.rt()
              + "/upload HTTP/1.1\r\nHost: "
              + proxy.getAuthority()
              + "\r\nContent-Type: "
              + SignedForm.contentType()
              + "\r\nContent-Length: "
              + body.length
              + "\r\nConnection: close\r\n\r\n";
      upload.out.write(head.getBytes(StandardCharsets.ISO_8859_1));
      return upload;
    }

    void send(int from, int to) throws IOException {
      out.write(body, from, to - from);
      out.flush();
    }

    /** The whole answer (the server closes the connection after it). */
    String answer() throws IOException {
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      InputStream in = socket.getInputStream();
      in.transferTo(answer);
      return answer.toString(StandardCharsets.UTF_8);
    }

    /** Vanishes with a reset, mid-body. */
    void reset() throws IOException {
      socket.setSoLinger(true, 0);
      socket.close();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
