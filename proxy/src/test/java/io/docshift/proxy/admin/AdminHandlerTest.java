package io.docshift.proxy.admin;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.ledger.AuditEvent;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The admin handler on an {@link EmbeddedChannel}, with real routes over an H2 ledger. */
class AdminHandlerTest extends AdminFixture {
  private static final String BOB_TOKEN = "bobs-own-token";
  private final AtomicLong nanos = new AtomicLong();
  private final Refusals refusals = new Refusals(Duration.ofMinutes(1), 3, nanos::get);
  private EmbeddedChannel channel = newChannel();

  /** A connection; every one shares the handler's refusal counts, as on the server. */
  private EmbeddedChannel newChannel() {
    return new EmbeddedChannel(
        handler(Map.of("alice", TOKEN, "bob", BOB_TOKEN), refusals, nanos::get, null));
  }

  @AfterEach
  void finish() {
    channel.finishAndReleaseAll();
  }

  private Answer send(HttpMethod method, String uri, String token, String body) {
    FullHttpRequest request =
        new DefaultFullHttpRequest(
            HttpVersion.HTTP_1_1, method, uri, Unpooled.copiedBuffer(body, UTF_8));
    if (token != null) {
      request.headers().set(HttpHeaderNames.AUTHORIZATION, "Bearer " + token);
    }
    // A claim the token does not back: the audit must name the token's owner instead.
    request.headers().set("X-DocShift-Actor", "mallory");
    channel.writeInbound(request);
    FullHttpResponse response = channel.readOutbound();
    try {
      return new Answer(
          response.status().code(),
          response.content().toString(UTF_8),
          response.headers().get(HttpHeaderNames.ALLOW),
          response.headers().get(HttpHeaderNames.RETRY_AFTER));
    } finally {
      response.release();
    }
  }

  private record Answer(int status, String body, String allow, String retryAfter) {}

  @Test
  void withoutTheRightTokenNothingIsServedAndAWindowOfAttemptsIsOneAuditRow() {
    assertThat(send(HttpMethod.GET, "/admin/traffic", null, "").status()).isEqualTo(401);
    Answer wrong = send(HttpMethod.PUT, "/admin/traffic", "guess", "{\"s3ReadPercent\":100}");
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.body()).contains("wrong token");
    assertThat(audit()).as("counted until the window ends").isEmpty();

    nanos.addAndGet(Duration.ofMinutes(1).toNanos());
    send(HttpMethod.GET, "/admin/traffic", "again", "");

    assertThat(control.current()).isEqualTo(INITIAL);
    assertThat(audit())
        .extracting(AuditEvent::action, AuditEvent::actor, AuditEvent::reason)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "admin.refused", "unauthenticated", "no bearer token x1, wrong token x1"));
    assertThat(audit().get(0).after())
        .isEqualTo(
            "2 refused in 60 s from embedded x2; reasons: " + "no bearer token x1, wrong token x1");
  }

  @Test
  void aPeerRefusedTooOftenIsLockedOutEvenWithARightTokenUntilTheWindowEnds() {
    for (int i = 0; i < 3; i++) {
      assertThat(send(HttpMethod.GET, "/admin/traffic", "guess-" + i, "").status()).isEqualTo(401);
    }
    nanos.addAndGet(Duration.ofSeconds(20).toNanos());

    Answer locked = send(HttpMethod.GET, "/admin/traffic", TOKEN, "");
    assertThat(locked.status()).isEqualTo(429);
    assertThat(locked.retryAfter()).isEqualTo("40");
    assertThat(channel.isOpen()).as("closed after a lock-out answer").isFalse();
    channel.finishAndReleaseAll();
    channel = newChannel();

    nanos.addAndGet(Duration.ofSeconds(40).toNanos());
    assertThat(send(HttpMethod.GET, "/admin/traffic", TOKEN, "").status()).isEqualTo(200);
    refusals.flush(ledger.audit());
    assertThat(audit()).hasSize(1);
    assertThat(audit().get(0).after()).startsWith("3 refused in 60 s from embedded x3");
  }

  @Test
  void eachOperatorIsAuditedAsTheOwnerOfTheirTokenWhateverTheyClaim() {
    send(HttpMethod.PUT, "/admin/traffic", BOB_TOKEN, "{\"shadowPercent\":2,\"reason\":\"bob\"}");
    send(HttpMethod.PUT, "/admin/traffic", TOKEN, "{\"shadowPercent\":3,\"reason\":\"alice\"}");

    assertThat(audit())
        .extracting(AuditEvent::actor, AuditEvent::reason)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("alice", "alice"),
            org.assertj.core.groups.Tuple.tuple("bob", "bob"));
  }

  @Test
  void theRightTokenReadsAndChangesTheTrafficWithTheActorAndReasonAudited() {
    Answer got = send(HttpMethod.GET, "/admin/traffic", TOKEN, "");
    assertThat(got.status()).isEqualTo(200);
    assertThat(got.body()).contains("\"s3ReadPercent\" : 10", "\"tripped\" : false");

    Answer set =
        send(
            HttpMethod.PUT,
            "/admin/traffic",
            TOKEN,
            "{\"s3ReadPercent\": 25, \"shadowPercent\": 10, \"reason\": \"ramp to 25\"}");
    assertThat(set.status()).isEqualTo(200);
    assertThat(control.current().s3ReadPercent()).isEqualTo(25);
    AuditEvent event = audit().get(0);
    assertThat(event.actor()).isEqualTo("alice");
    assertThat(event.reason()).isEqualTo("ramp to 25");
  }

  @Test
  void invalidValuesAre400WithTheMessageAndChangeNothing() {
    Answer weight =
        send(HttpMethod.PUT, "/admin/traffic", TOKEN, "{\"s3ReadPercent\":130,\"reason\":\"x\"}");
    assertThat(weight.status()).isEqualTo(400);
    assertThat(weight.body()).contains("s3ReadPercent: 130 (expected: 0..100)");
    Answer mode =
        send(
            HttpMethod.PUT,
            "/admin/traffic",
            TOKEN,
            "{\"writeMode\":\"S3_FIRST\",\"reason\":\"x\"}");
    assertThat(mode.status()).isEqualTo(400);
    assertThat(mode.body()).contains("writeMode: \\\"S3_FIRST\\\" (expected: one of [");
    assertThat(send(HttpMethod.PUT, "/admin/traffic", TOKEN, "{\"s3ReadPercent\":20}").body())
        .contains("reason: empty");
    assertThat(send(HttpMethod.PUT, "/admin/traffic", TOKEN, "not json").status()).isEqualTo(400);
    assertThat(send(HttpMethod.GET, "/admin/audit?limit=0", TOKEN, "").status()).isEqualTo(400);

    assertThat(control.current()).isEqualTo(INITIAL);
    assertThat(audit()).isEmpty();
  }

  @Test
  void whileTrippedRoutingChangesAre409AndResumeRestores() {
    send(HttpMethod.PUT, "/admin/traffic", TOKEN, "{\"s3ReadPercent\":40,\"reason\":\"ramp\"}");
    trip();
    Answer refused =
        send(HttpMethod.PUT, "/admin/traffic", TOKEN, "{\"s3ReadPercent\":50,\"reason\":\"x\"}");
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.body()).contains("docshift traffic resume");
    assertThat(send(HttpMethod.GET, "/admin/traffic", TOKEN, "").body())
        .contains("\"tripped\" : true", "3 S3 failures in a row");

    Answer resumed =
        send(HttpMethod.POST, "/admin/traffic/resume", TOKEN, "{\"reason\":\"S3 is back\"}");
    assertThat(resumed.status()).isEqualTo(200);
    assertThat(control.current().s3ReadPercent()).isEqualTo(40);
    assertThat(audit().get(0).action()).isEqualTo("traffic.resume");
  }

  @Test
  void auditMigrationMetricsAndUnknownPaths() {
    send(HttpMethod.PUT, "/admin/traffic", TOKEN, "{\"shadowPercent\":1,\"reason\":\"less\"}");
    Answer events = send(HttpMethod.GET, "/admin/audit?limit=5", TOKEN, "");
    assertThat(events.body()).contains("\"action\" : \"traffic.set\"", "\"reason\" : \"less\"");
    Answer migration = send(HttpMethod.GET, "/admin/migration", TOKEN, "");
    assertThat(migration.body()).contains("\"verified\" : 0", "\"depth\" : 0");
    assertThat(send(HttpMethod.GET, "/metrics", TOKEN, "").body()).contains("docshift_up 1");
    assertThat(send(HttpMethod.GET, "/admin/nope", TOKEN, "").status()).isEqualTo(404);
    Answer wrongMethod = send(HttpMethod.DELETE, "/admin/traffic", TOKEN, "");
    assertThat(wrongMethod.status()).isEqualTo(405);
    assertThat(wrongMethod.allow()).isEqualTo("GET, PUT");
  }

  @Test
  void noConfiguredTokenRefusesEveryone() {
    BearerAuth none = new BearerAuth(Map.of());
    assertThat(none.check("Bearer " + TOKEN).allowed()).isFalse();
    assertThat(none.check("Bearer ").refusal()).isEqualTo("no admin token is configured");
  }
}
