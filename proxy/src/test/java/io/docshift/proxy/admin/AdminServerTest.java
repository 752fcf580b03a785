package io.docshift.proxy.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.ledger.AuditEvent;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The admin API over real HTTP on an ephemeral loopback port. */
class AdminServerTest extends AdminFixture {
  private final AdminServer server =
      AdminServer.start(
          AdminSettings.builder(control, ledger)
              .token(TOKEN)
              .metrics(() -> "docshift_up 1\n")
              .build());
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<String> send(String method, String path, String token, String body)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
            .timeout(Duration.ofSeconds(10))
            .method(method, HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void noTokenAndAWrongTokenAreRefusedAndAuditedTheRightOneIsServed() throws Exception {
    HttpResponse<String> none = send("GET", "/admin/traffic", null, "");
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("WWW-Authenticate"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    assertThat(send("GET", "/admin/traffic", TOKEN + "x", "").statusCode()).isEqualTo(401);
    HttpResponse<String> right = send("GET", "/admin/traffic", TOKEN, "");
    assertThat(right.statusCode()).isEqualTo(200);
    assertThat(right.headers().firstValue("Content-Type")).hasValue(AdminResponse.JSON);

    assertThat(audit()).as("refusals are counted, not written one by one").isEmpty();
    server.close(); // ends the window: its refusals become one row

    assertThat(audit())
        .extracting(AuditEvent::action, AuditEvent::actor, AuditEvent::reason)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "admin.refused", "unauthenticated", "no bearer token x1, wrong token x1"));
    assertThat(audit().get(0).after()).startsWith("2 refused in 60 s from 127.0.0.1 x2");
  }

  @Test
  void invalidValuesAre400AndAnOversizedBodyIs413() throws Exception {
    HttpResponse<String> weight =
        send("PUT", "/admin/traffic", TOKEN, "{\"s3ReadPercent\":130,\"reason\":\"x\"}");
    assertThat(weight.statusCode()).isEqualTo(400);
    assertThat(weight.body()).contains("s3ReadPercent: 130 (expected: 0..100)");
    String huge = "{\"reason\":\"" + "x".repeat(AdminInitializer.MAX_BODY_BYTES) + "\"}";
    assertThat(send("PUT", "/admin/traffic", TOKEN, huge).statusCode()).isEqualTo(413);
    assertThat(control.current()).isEqualTo(INITIAL);
  }

  @Test
  void aChangeThroughHttpIsServedAtOnceAndMetricsArePrometheusText() throws Exception {
    HttpResponse<String> set =
        send("PUT", "/admin/traffic", TOKEN, "{\"s3ReadPercent\":30,\"reason\":\"ramp\"}");
    assertThat(set.statusCode()).isEqualTo(200);
    assertThat(control.current().s3ReadPercent()).isEqualTo(30);
    HttpResponse<String> metrics = send("GET", "/metrics", TOKEN, "");
    assertThat(metrics.body()).isEqualTo("docshift_up 1\n");
    assertThat(metrics.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
  }
}
