package io.docshift.proxy.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** {@code docshift.admin.requests}: every admin listener answer counted and timed, tags bounded. */
class AdminMetersTest extends AdminFixture {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private long count(String route, String status) {
    Timer timer =
        registry.find(AdminMeters.REQUESTS).tag("route", route).tag("status", status).timer();
    return timer == null ? -1 : timer.count();
  }

  @Test
  void routesAreFamiliesNeverPaths() {
    assertThat(AdminMeters.route("/admin/traffic")).isEqualTo("traffic");
    assertThat(AdminMeters.route("/admin/traffic/resume")).isEqualTo("traffic");
    assertThat(AdminMeters.route("/admin/audit")).isEqualTo("audit");
    assertThat(AdminMeters.route("/graphql")).isEqualTo("graphql");
    assertThat(AdminMeters.route("/readyz")).isEqualTo("probe");
    assertThat(AdminMeters.route("/console/app.js")).isEqualTo("console");
    assertThat(AdminMeters.route("/")).isEqualTo("console");
    assertThat(AdminMeters.route("/wp-admin/x.php")).isEqualTo("other");
    assertThat(AdminMeters.statusClass(429)).isEqualTo("4xx");
    assertThat(AdminMeters.statusClass(999)).isEqualTo("other");
  }

  @Test
  void pipelinedAnswersAreTimedWithTheClockAndInterimOnesSkipped() {
    AtomicLong nanos = new AtomicLong(1_000);
    EmbeddedChannel channel =
        new EmbeddedChannel(new AdminMetering(new AdminMeters(registry), nanos::get));
    channel.writeInbound(
        new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/admin/audit?limit=5"));
    nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(1));
    channel.writeInbound(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/graphql"));
    nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(2));
    channel.writeOutbound(response(HttpResponseStatus.CONTINUE));
    channel.writeOutbound(response(HttpResponseStatus.OK));
    nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(4));
    channel.writeOutbound(response(HttpResponseStatus.TOO_MANY_REQUESTS));
    channel.finishAndReleaseAll();

    Timer audit =
        registry.find(AdminMeters.REQUESTS).tags("route", "audit", "status", "2xx").timer();
    Timer graphql =
        registry.find(AdminMeters.REQUESTS).tags("route", "graphql", "status", "4xx").timer();
    assertThat(audit.count()).isEqualTo(1);
    assertThat(audit.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(3.0);
    assertThat(graphql.count()).isEqualTo(1);
    assertThat(graphql.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(6.0);
    assertThat(count("graphql", "2xx")).isZero();
  }

  @Test
  void everyAnswerOfTheListenerIsCountedByRouteAndStatusClass() throws Exception {
    try (AdminServer server =
        AdminServer.start(
            AdminSettings.builder(control, ledger)
                .tokensByOwner(Map.of("alice", TOKEN))
                .metrics(() -> "docshift_up 1\n")
                .registry(registry)
                .build())) {
      // Registered at zero, so a dashboard shows 0 for a quiet listener.
      assertThat(registry.find(AdminMeters.REQUESTS).timers())
          .hasSize(AdminMeters.ROUTES.size() * 3);
      assertThat(send(server, "GET", "/livez", null, "")).isEqualTo(200);
      assertThat(send(server, "GET", "/admin/traffic", TOKEN, "")).isEqualTo(200);
      assertThat(send(server, "GET", "/admin/traffic", null, "")).isEqualTo(401);
      assertThat(send(server, "GET", "/metrics", TOKEN, "")).isEqualTo(200);
      assertThat(send(server, "POST", "/graphql", TOKEN, "{}")).isEqualTo(404);
      assertThat(send(server, "GET", "/etc/passwd", TOKEN, "")).isEqualTo(404);
      // Answered by the aggregator, before any handler of DocShift's: still counted.
      String big = "x".repeat(AdminInitializer.MAX_BODY_BYTES + 1);
      assertThat(send(server, "PUT", "/admin/traffic", TOKEN, big)).isEqualTo(413);
    }
    assertThat(count("probe", "2xx")).isEqualTo(1);
    assertThat(count("traffic", "2xx")).isEqualTo(1);
    assertThat(count("traffic", "4xx")).isEqualTo(2);
    assertThat(count("metrics", "2xx")).isEqualTo(1);
    assertThat(count("graphql", "4xx")).isEqualTo(1);
    assertThat(count("other", "4xx")).isEqualTo(1);
    assertThat(registry.find(AdminMeters.REQUESTS).timers())
        .allSatisfy(t -> assertThat(t.getId().getTags()).hasSize(2));
  }

  private int send(AdminServer server, String method, String path, String token, String body)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
            .timeout(Duration.ofSeconds(10))
            .method(method, HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private static DefaultFullHttpResponse response(HttpResponseStatus status) {
    return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.EMPTY_BUFFER);
  }
}
