package io.docshift.proxy.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code /livez} and {@code /readyz} over real HTTP: no token, a status word, real readiness. */
class ProbesTest extends AdminFixture {
  private final AtomicBoolean accepting = new AtomicBoolean(true);
  private final AdminServer server =
      AdminServer.start(
          AdminSettings.builder(control, ledger)
              .tokensByOwner(Map.of("alice", TOKEN))
              .listenerAccepting(accepting::get)
              .build());
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void bothProbesAnswerWithoutATokenAndSayNothingButTheirStatus() throws Exception {
    HttpResponse<String> live = get("/livez");
    HttpResponse<String> ready = get("/readyz");

    assertThat(live.statusCode()).isEqualTo(200);
    assertThat(live.body()).isEqualTo("live\n");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.body()).isEqualTo("ready\n");
    assertThat(ready.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
    assertThat(get("/readyz?verbose=1").body()).isEqualTo("ready\n");
    server.close(); // ends the refusal window: nothing was refused, so nothing is audited
    assertThat(audit()).isEmpty();
  }

  @Test
  void otherPathsStillNeedTheToken() throws Exception {
    assertThat(get("/admin/traffic").statusCode()).isEqualTo(401);
    assertThat(get("/livez/x").statusCode()).isEqualTo(401);
  }

  @Test
  void notReadyWhenTheLedgerIsUnreachableButStillLive() throws Exception {
    assertThat(get("/readyz").statusCode()).isEqualTo(200);
    ledger.close();

    HttpResponse<String> ready = get("/readyz");
    assertThat(ready.statusCode()).isEqualTo(503);
    assertThat(ready.body()).isEqualTo("not ready\n");
    assertThat(get("/livez").statusCode()).isEqualTo(200);
  }

  @Test
  void notReadyWhileTheProxyListenerDoesNotAccept() throws Exception {
    accepting.set(false);
    assertThat(get("/readyz").statusCode()).isEqualTo(503);
    assertThat(get("/livez").statusCode()).isEqualTo(200);

    accepting.set(true);
    assertThat(get("/readyz").statusCode()).isEqualTo(200);
  }

  @Test
  void onlyGetIsAllowed() throws Exception {
    HttpResponse<String> post =
        http.send(
            HttpRequest.newBuilder(URI.create(server.baseUrl() + "/readyz"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).hasValue("GET");
  }
}
