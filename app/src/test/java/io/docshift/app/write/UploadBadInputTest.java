package io.docshift.app.write;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.docshift.core.config.WriteMode;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Bad Upload API input, sent by hand because no SDK sends it: a cut-off multipart body, a form
 * without {@code file}, a body over {@code proxy.maxUploadBodyBytes} (413 before a body byte is
 * sent, with and without {@code Expect: 100-continue}), and {@code Expect: 100-continue} honoured.
 * Every refusal is Cloudinary's error JSON, and nothing reaches either store.
 */
@Timeout(120)
class UploadBadInputTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicInteger IDS = new AtomicInteger();
  // WireMock would parse (and choke on) the bad multipart bodies this test sends on purpose.
  @RegisterExtension static final WriteRig rig = WriteRig.ungated();

  @ParameterizedTest
  @EnumSource(WriteMode.class)
  void aCutOffMultipartBodyIsRefused(WriteMode mode) throws Exception {
    rig.mode(mode);
    Doc doc = Doc.raw("bad/cut-" + IDS.incrementAndGet());
    byte[] whole = form(doc).file(Bodies.pdf(50_000, doc.seed())).body();
    byte[] cut = Arrays.copyOf(whole, whole.length / 2); // no closing boundary

    RawExchange.Response r = post(doc, cut);

    assertRefused(r, 400);
    assertNothingStored(doc);
  }

  @ParameterizedTest
  @EnumSource(WriteMode.class)
  void aFormWithoutAFileIsRefused(WriteMode mode) throws Exception {
    rig.mode(mode);
    Doc doc = Doc.raw("bad/nofile-" + IDS.incrementAndGet());

    RawExchange.Response r = post(doc, form(doc).body());

    assertRefused(r, 400);
    assertThat(message(r)).contains("file");
    assertNothingStored(doc);
  }

  @ParameterizedTest
  @EnumSource(WriteMode.class)
  void aDeclaredBodyOverTheLimitGets413BeforeItIsSentWithOrWithoutExpect(WriteMode mode)
      throws Exception {
    rig.mode(mode);
    Doc doc = Doc.raw("bad/large-" + IDS.incrementAndGet());
    for (boolean expect : new boolean[] {true, false}) {
      try (RawExchange exchange = new RawExchange(rig.proxyUrl())) {
        Map<String, String> headers = headers(WriteRig.MAX_BODY_BYTES + 1);
        if (expect) {
          headers.put("Expect", "100-continue");
        }
        // Only the headers go out: the answer must come without a single body byte.
        RawExchange.Response r = exchange.head(requestLine(doc), headers).read();

        assertRefused(r, 413);
        assertThat(message(r))
            .startsWith("File size too large. Got " + (WriteRig.MAX_BODY_BYTES + 1));
      }
    }
    assertNothingStored(doc);
  }

  @Test
  void expectContinueIsAnsweredWith100ThenTheUploadSucceeds() throws Exception {
    rig.mode(WriteMode.DUAL_CLOUDINARY_PRIMARY);
    Doc doc = Doc.raw("bad/expect-" + IDS.incrementAndGet());
    byte[] file = Bodies.pdf(80_000, doc.seed());
    byte[] body = form(doc).file(file).body();
    try (RawExchange exchange = new RawExchange(rig.proxyUrl())) {
      Map<String, String> headers = headers(body.length);
      headers.put("Expect", "100-continue");

      RawExchange.Response interim = exchange.head(requestLine(doc), headers).read();
      assertThat(interim.status()).isEqualTo(100);
      RawExchange.Response r = exchange.body(body).read();

      assertThat(r.status()).as(r.text()).isEqualTo(200);
      assertThat(JSON.readTree(r.body()).path("etag").asText()).isEqualTo(Bodies.md5(file));
    }
    assertThat(rig.stores().s3(doc.path())).isEqualTo(file);
    assertThat(rig.stores().cloudinary(doc.path())).isEqualTo(file);
  }

  private static SignedForm form(Doc doc) {
    var c = rig.stores().config().cloudinary();
    return SignedForm.of(Map.of("public_id", doc.publicId()), c.apiKey(), c.apiSecret());
  }

  private static String requestLine(Doc doc) {
    return "POST /v1_1/" + rig.stores().cloud() + "/" + doc.rt() + "/upload HTTP/1.1";
  }

  private static Map<String, String> headers(long contentLength) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Host", rig.proxyUrl().getAuthority());
    headers.put("Content-Type", SignedForm.contentType());
    headers.put("Content-Length", Long.toString(contentLength));
    return headers;
  }

  private static RawExchange.Response post(Doc doc, byte[] body) throws Exception {
    try (RawExchange exchange = new RawExchange(rig.proxyUrl())) {
      return exchange.head(requestLine(doc), headers(body.length)).body(body).read();
    }
  }

  private static void assertRefused(RawExchange.Response r, int status) throws Exception {
    assertThat(r.status()).as(r.text()).isEqualTo(status);
    assertThat(r.headers().get("content-type")).startsWith("application/json");
    assertThat(message(r)).isNotBlank();
  }

  private static String message(RawExchange.Response r) throws Exception {
    JsonNode json = JSON.readTree(r.body());
    return json.path("error").path("message").asText();
  }

  private static void assertNothingStored(Doc doc) throws Exception {
    assertThat(rig.stores().s3(doc.path())).as("in S3").isNull();
    assertThat(rig.stores().cloudinary(doc.path())).as("in Cloudinary").isNull();
    assertThat(rig.stores().outbox(doc.rt(), doc.publicId())).isEmpty();
    assertThat(rig.stores().row(doc.rt(), doc.publicId())).isEmpty();
  }
}
