package io.docshift.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The spool disk guard ({@code proxy.spoolReserveBytes}): with a reserve larger than the spool file
 * system's free space, uploads are refused with 507 before their body is read, whether they declare
 * a length or are chunked; nothing is spooled and no store is called. The per-step check of a
 * growing body is shown on the API's {@code SpoolGuard} with a given free space ({@code
 * SpoolGuardTest}).
 */
@Timeout(60)
class SpoolReserveTest {
  private static final String HEAD =
      "POST /v1_1/demo/raw/upload HTTP/1.1\r\nHost: x\r\n"
          + "Content-Type: multipart/form-data; boundary=b\r\n";

  @RegisterExtension
  static final ProxyExtension PROXY =
      ProxyExtension.overStub(Map.of("proxy.spoolReserveBytes", Long.toString(Long.MAX_VALUE / 2)));

  private static void assertRefused507(String request) throws Exception {
    int before = PROXY.backend().connections();
    List<RawHttp.Response> answer =
        RawHttp.parse(RawHttp.exchange(PROXY.fx().proxy.port(), RawHttp.ascii(request)));

    assertThat(answer).extracting(RawHttp.Response::status).containsExactly(507);
    assertThat(answer.get(0).headers())
        .containsEntry("retry-after", "1")
        .containsEntry("connection", "close");
    assertThat(new String(answer.get(0).body())).contains("spool space");
    FramingTest.assertSpoolEmpty(PROXY.fx().proxy.spoolDirectory());
    assertThat(PROXY.backend().connections()).isEqualTo(before);
  }

  @Test
  void anUploadWithALengthIsRefused507BeforeItsBodyIsRead() throws Exception {
    assertRefused507(HEAD + "Content-Length: 10\r\n\r\n--b\r\nxxxxx");
  }

  @Test
  void aChunkedUploadIsRefused507Too() throws Exception {
    assertRefused507(HEAD + "Transfer-Encoding: chunked\r\n\r\n5\r\n--b\r\n\r\n0\r\n\r\n");
  }

  @Test
  void callsWithoutABodyAreNotRefused() throws Exception {
    List<RawHttp.Response> answer =
        RawHttp.parse(
            RawHttp.exchange(
                PROXY.fx().proxy.port(),
                RawHttp.ascii(
                    "GET /v1_1/othercloud/raw/list HTTP/1.1\r\n"
                        + "Host: x\r\n"
                        + "Connection: close\r\n\r\n")));
    assertThat(answer).extracting(RawHttp.Response::status).containsExactly(200);
  }
}
