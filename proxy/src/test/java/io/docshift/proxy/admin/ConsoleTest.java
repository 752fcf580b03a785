package io.docshift.proxy.admin;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.docshift.core.config.DocShiftConfig;
import io.docshift.ledger.AuditEvent;
import io.docshift.proxy.graphql.GraphqlEndpoint;
import io.docshift.proxy.graphql.GraphqlEndpoints;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The console's sign-in, session cookie, CSRF and origin checks on an {@link EmbeddedChannel}
 * through the real admin handler, GraphQL endpoint and H2 ledger: a refused call changes neither
 * the traffic state nor leaves an audit row naming anyone but the refusal.
 */
class ConsoleTest extends AdminFixture {
  private static final String SET_WEIGHT =
      "{\"query\":\"mutation { setTraffic(input: {s3ReadPercent: 40, reason: \\\"ramp\\\"})"
          + " { s3ReadPercent } }\"}";
  private final AtomicLong nanos = new AtomicLong();
  private final Refusals refusals = new Refusals(Duration.ofMinutes(1), 10, nanos::get);
  private final GraphqlEndpoint graphql =
      GraphqlEndpoints.open(
          DocShiftConfig.builder()
              .overrides(
                  Map.of(
                      "cloudinary.cloudName", "console-test",
                      "cloudinary.apiKey", "unused",
                      "cloudinary.apiSecret", "unused",
                      "s3.endpoint", "http://127.0.0.1:9",
                      "s3.bucket", "unused",
                      "s3.accessKey", "unused",
                      "s3.secretKey", "unused"))
              .build(),
          ledger,
          control);
  private final EmbeddedChannel channel = newChannel();

  private EmbeddedChannel newChannel() {
    return new EmbeddedChannel(handler(Map.of("alice", TOKEN), refusals, nanos::get, graphql));
  }

  @AfterEach
  void finish() throws Exception {
    channel.finishAndReleaseAll();
    graphql.close();
  }

  private record Reply(int status, String body, HttpHeaders headers) {
    JsonNode json() throws Exception {
      return AdminResponse.mapper().readTree(body);
    }
  }

  private Reply send(HttpMethod method, String uri, String body, Map<String, String> headers) {
    return send(channel, method, uri, body, headers);
  }

  private static Reply send(
      EmbeddedChannel channel,
      HttpMethod method,
      String uri,
      String body,
      Map<String, String> headers) {
    FullHttpRequest request =
        new DefaultFullHttpRequest(
            HttpVersion.HTTP_1_1, method, uri, Unpooled.copiedBuffer(body, UTF_8));
    request.headers().set(HttpHeaderNames.HOST, "admin.local:9090");
    headers.forEach(request.headers()::set);
    channel.writeInbound(request);
    FullHttpResponse response = channel.readOutbound();
    try {
      return new Reply(
          response.status().code(), response.content().toString(UTF_8), response.headers().copy());
    } finally {
      response.release();
    }
  }

  /** Signs in and returns the Cookie header value and the CSRF token. */
  private String[] signIn(Map<String, String> headers) throws Exception {
    Reply reply =
        send(HttpMethod.POST, Console.SESSION_PATH, "{\"token\":\"" + TOKEN + "\"}", headers);
    assertThat(reply.status()).isEqualTo(200);
    String setCookie = reply.headers().get(HttpHeaderNames.SET_COOKIE);
    return new String[] {
      setCookie.substring(0, setCookie.indexOf(';')), reply.json().path("csrf").asText()
    };
  }

  @Test
  void thePageLoadsWithoutATokenUnderAStrictPolicyAndNothingElseInTheJarIsServed() {
    Reply page = send(HttpMethod.GET, "/", "", Map.of());
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.body()).contains("<script src=\"/console/app.js\"");
    assertThat(page.headers().get("Content-Security-Policy"))
        .contains("default-src 'none'", "script-src 'self'", "frame-ancestors 'none'")
        .doesNotContain("unsafe");
    assertThat(send(HttpMethod.GET, "/console/../logback.xml", "", Map.of()).status())
        .isEqualTo(401);
    assertThat(send(HttpMethod.POST, "/", "", Map.of()).status()).isEqualTo(405);
  }

  @Test
  void signInSetsAStrictHttpOnlyCookieSecureBehindTlsAndAuditsTheOperator() throws Exception {
    Reply reply =
        send(HttpMethod.POST, Console.SESSION_PATH, "{\"token\":\"" + TOKEN + "\"}", Map.of());
    assertThat(reply.json().path("operator").asText()).isEqualTo("alice");
    assertThat(reply.headers().get(HttpHeaderNames.SET_COOKIE))
        .startsWith(ConsoleCookies.NAME + "=")
        .contains("HTTPOnly", "SameSite=Strict", "Max-Age=43200", "Path=/")
        .doesNotContain("Secure")
        .doesNotContain(TOKEN);
    Reply tls =
        send(
            HttpMethod.POST,
            Console.SESSION_PATH,
            "{\"token\":\"" + TOKEN + "\"}",
            Map.of("X-Forwarded-Proto", "https"));
    assertThat(tls.headers().get(HttpHeaderNames.SET_COOKIE)).contains("Secure");
    assertThat(audit())
        .extracting(AuditEvent::actor, AuditEvent::action)
        .contains(org.assertj.core.groups.Tuple.tuple("alice", "console.sign-in"));
  }

  @Test
  void aWrongTokenGetsNoCookieAndCountsTowardsTheLockOut() {
    Reply reply = send(HttpMethod.POST, Console.SESSION_PATH, "{\"token\":\"guess\"}", Map.of());
    assertThat(reply.status()).isEqualTo(401);
    assertThat(reply.headers().contains(HttpHeaderNames.SET_COOKIE)).isFalse();
    nanos.addAndGet(Duration.ofMinutes(1).toNanos());
    refusals.flush(ledger.audit());
    assertThat(audit()).extracting(AuditEvent::action).containsExactly("admin.refused");
  }

  @Test
  void aMutationWithoutTheCsrfTokenIsRefusedAndChangesNothing() throws Exception {
    String[] session = signIn(Map.of());
    Reply none = send(HttpMethod.POST, "/graphql", SET_WEIGHT, Map.of("Cookie", session[0]));
    Reply wrong =
        send(
            HttpMethod.POST,
            "/graphql",
            SET_WEIGHT,
            Map.of("Cookie", session[0], Console.CSRF_HEADER, session[1] + "x"));

    assertThat(none.status()).isEqualTo(403);
    assertThat(wrong.status()).isEqualTo(403);
    assertThat(control.current()).isEqualTo(INITIAL);
    assertThat(audit())
        .extracting(AuditEvent::action)
        .containsExactly("console.csrf-refused", "console.csrf-refused", "console.sign-in");
  }

  @Test
  void withTheCsrfTokenTheMutationRunsAsTheSignedInOperator() throws Exception {
    String[] session = signIn(Map.of());
    Reply ok =
        send(
            HttpMethod.POST,
            "/graphql",
            SET_WEIGHT,
            Map.of("Cookie", session[0], Console.CSRF_HEADER, session[1]));

    assertThat(ok.status()).as(ok.body()).isEqualTo(200);
    assertThat(control.current().s3ReadPercent()).isEqualTo(40);
    AuditEvent change = audit().get(0);
    assertThat(change.actor()).isEqualTo("alice");
    assertThat(change.reason()).isEqualTo("ramp");
  }

  @Test
  void anotherOriginIsRefusedEvenWithTheRightCsrfToken() throws Exception {
    String[] session = signIn(Map.of());
    Reply reply =
        send(
            HttpMethod.POST,
            "/graphql",
            SET_WEIGHT,
            Map.of(
                "Cookie",
                session[0],
                Console.CSRF_HEADER,
                session[1],
                "Origin",
                "https://evil.example"));
    assertThat(reply.status()).isEqualTo(403);
    assertThat(control.current()).isEqualTo(INITIAL);
  }

  @Test
  void aSessionEndsAfterThirtyIdleMinutesAndAtSignOut() throws Exception {
    String[] session = signIn(Map.of());
    Map<String, String> cookie = Map.of("Cookie", session[0]);
    nanos.addAndGet(Duration.ofMinutes(29).toNanos());
    assertThat(send(HttpMethod.GET, Console.SESSION_PATH, "", cookie).status()).isEqualTo(200);
    nanos.addAndGet(Duration.ofMinutes(30).toNanos());
    assertThat(send(HttpMethod.GET, Console.SESSION_PATH, "", cookie).status()).isEqualTo(401);

    String[] again = signIn(Map.of());
    Map<String, String> both = Map.of("Cookie", again[0], Console.CSRF_HEADER, again[1]);
    Reply out = send(HttpMethod.DELETE, Console.SESSION_PATH, "", both);
    assertThat(out.headers().get(HttpHeaderNames.SET_COOKIE)).contains("Max-Age=0");
    assertThat(send(HttpMethod.POST, "/graphql", SET_WEIGHT, both).status()).isEqualTo(401);
    assertThat(control.current()).isEqualTo(INITIAL);
  }

  /**
   * Two admin listeners on one ledger, as a fleet behind a balancer without stickiness: a session
   * opened on one is good on the other and on a listener started afterwards (a restart), and a
   * sign-out on any of them ends it everywhere. The ledger holds only a hash of the session id.
   */
  @Test
  void aSessionInTheLedgerWorksOnEveryListenerAndEndsEverywhere() throws Exception {
    String[] session = signIn(Map.of());
    Map<String, String> both = Map.of("Cookie", session[0], Console.CSRF_HEADER, session[1]);
    EmbeddedChannel other = newChannel();
    try {
      Reply described = send(other, HttpMethod.GET, Console.SESSION_PATH, "", both);
      assertThat(described.status()).isEqualTo(200);
      assertThat(described.json().path("csrf").asText()).isEqualTo(session[1]);
      assertThat(send(other, HttpMethod.POST, "/graphql", SET_WEIGHT, both).status())
          .isEqualTo(200);
      assertThat(control.current().s3ReadPercent()).isEqualTo(40);
      assertThat(ledger.audit().latest(1).get(0).actor()).isEqualTo("alice");

      String id = session[0].substring(session[0].indexOf('=') + 1);
      try (Connection c = ledger.dataSource().getConnection();
          Statement statement = c.createStatement();
          ResultSet rs = statement.executeQuery("SELECT * FROM console_sessions")) {
        assertThat(rs.next()).isTrue();
        for (int column = 1; column <= rs.getMetaData().getColumnCount(); column++) {
          assertThat(rs.getString(column)).doesNotContain(id).doesNotContain(session[1]);
        }
        assertThat(rs.next()).isFalse();
      }

      assertThat(send(other, HttpMethod.DELETE, Console.SESSION_PATH, "", both).status())
          .isEqualTo(200);
      assertThat(send(HttpMethod.GET, Console.SESSION_PATH, "", both).status()).isEqualTo(401);
    } finally {
      other.finishAndReleaseAll();
    }
  }

  @Test
  void withoutTheLedgerTheConsoleAnswers503RatherThanNothing() throws Exception {
    String[] session = signIn(Map.of());
    ledger.close();
    Map<String, String> both = Map.of("Cookie", session[0], Console.CSRF_HEADER, session[1]);
    assertThat(send(HttpMethod.GET, Console.SESSION_PATH, "", both).status()).isEqualTo(503);
    assertThat(send(HttpMethod.POST, "/graphql", SET_WEIGHT, both).status()).isEqualTo(503);
    assertThat(control.current()).isEqualTo(INITIAL);
  }
}
