package io.docshift.proxy.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.core.config.CloudinaryAccount;
import io.docshift.core.config.DocShiftConfig;
import io.docshift.core.config.SignatureAlgorithm;
import io.docshift.core.config.WriteMode;
import io.docshift.core.metrics.MetricsRecorder;
import io.docshift.core.outcome.Backend;
import io.docshift.core.store.DocumentStore;
import io.docshift.ledger.Ledger;
import io.docshift.ledger.LedgerSettings;
import io.docshift.proxy.pipeline.RequestEvent;
import io.docshift.stores.http.UpstreamClient;
import io.docshift.stores.http.UpstreamSettings;
import io.docshift.traffic.TrafficState;
import io.docshift.write.CloudinaryApi;
import io.docshift.write.WriteLedger;
import io.docshift.write.WriteService;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The API handler alone on an {@link EmbeddedChannel}, over a real {@link WriteService} whose
 * stores fail the test if asked: every refusal is answered before a store is, with Cloudinary's
 * JSON, its spool directory removed and its slot given back.
 */
class ApiHandlerTest {
  private static final long MAX_BODY = 1000;
  private static final String UPLOAD = "/v1_1/demo/raw/upload";

  @TempDir Path spool;

  private Ledger ledger;
  private CloudinaryApi api;
  private final EventLoopGroup loops =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private UpstreamClient apiRelay;
  private WriteService writes;
  private Slots slots;
  private long freeSpace = Long.MAX_VALUE;

  @BeforeEach
  void start() {
    DocShiftConfig config =
        DocShiftConfig.builder()
            .overrides(Map.of("ledger.url", "jdbc:h2:mem:api-" + UUID.randomUUID()))
            .build();
    ledger = Ledger.open(LedgerSettings.builder(config).build());
    CloudinaryAccount account =
        new CloudinaryAccount(
            "demo",
            "1234",
            "abcd",
            URI.create("http://127.0.0.1:1"),
            URI.create("http://127.0.0.1:1/demo"),
            SignatureAlgorithm.SHA1);
    api = new CloudinaryApi(account.apiUrl(), Duration.ofSeconds(1), Duration.ofSeconds(1));
    apiRelay =
        UpstreamClient.create(
            account.apiUrl(),
            loops,
            UpstreamSettings.of(Backend.CLOUDINARY, Duration.ofSeconds(1), Duration.ofSeconds(1)));
    writes =
        new WriteService(
            account,
            api,
            neverAsked("cloudinary"),
            neverAsked("s3"),
            WriteLedger.of(ledger),
            () -> new TrafficState(0, WriteMode.DUAL_CLOUDINARY_PRIMARY, 0),
            MetricsRecorder.NOOP,
            Runnable::run,
            spool,
            Clock.systemUTC(),
            key -> {});
    slots = new Slots(1);
  }

  @AfterEach
  void stop() {
    apiRelay.close();
    loops.shutdownGracefully(0, 0, TimeUnit.SECONDS);
    api.close();
    ledger.close();
  }

  private EmbeddedChannel channel() {
    ApiHandler handler =
        new ApiHandler(
            writes,
            new ApiPassThrough(apiRelay, writes),
            MAX_BODY,
            slots,
            new SpoolGuard(100, dir -> freeSpace));
    return new EmbeddedChannel(handler);
  }

  /**
   * A request cut off as the row says, and the answer: body bytes sent before the cut (as one
   * content), how it ends, status, whether the connection is closed, and a part of the JSON error
   * message.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          declared over the limit      | 1001 | -1   | end       | 413 | true  | Got 1001. Maximum is 1000.
          chunked body over the limit  | -1   | 1001 | end       | 413 | true  | Got 1001. Maximum is 1000.
          malformed body               | 10   | 5    | malformed | 400 | true  | Malformed request body
          body too slow                | 10   | 5    | slow      | 408 | true  | Request body arrived too slowly
          empty upload body            | 0    | 0    | end       | 400 | false | Malformed multipart body
          """)
  void aRefusedCallIsAnsweredBeforeAnyStoreAndLeavesNothing(
      String name, long declared, int sent, String end, int status, boolean closes, String message)
      throws IOException {
    EmbeddedChannel channel = channel();
    HttpRequest request = post(UPLOAD, declared);
    channel.writeInbound(request);
    if (sent > 0 && channel.isOpen()) {
      channel.writeInbound(new DefaultHttpContent(Unpooled.wrappedBuffer(new byte[sent])));
    }
    // A refusal closes the connection; what the client still sends then goes nowhere.
    switch (channel.isOpen() ? end : "closed") {
      case "closed" -> {}
      case "malformed" -> {
        LastHttpContent broken = new DefaultLastHttpContent();
        broken.setDecoderResult(DecoderResult.failure(new IllegalStateException("cut")));
        channel.writeInbound(broken);
      }
      case "slow" -> channel.pipeline().fireUserEventTriggered(RequestEvent.BODY_TOO_SLOW);
      default -> channel.writeInbound(LastHttpContent.EMPTY_LAST_CONTENT);
    }
    channel.runPendingTasks();

    FullHttpResponse response = channel.readOutbound();
    try {
      assertThat(response.status().code()).isEqualTo(status);
      assertThat(response.content().toString(StandardCharsets.UTF_8)).contains(message);
      assertThat(response.headers().get("X-Content-Type-Options")).isEqualTo("nosniff");
    } finally {
      response.release();
    }
    // Refused while reading: closed, the rest of the body unread. Answered after it: kept alive.
    assertThat(channel.isOpen()).isEqualTo(!closes);
    assertThat(callDirectories()).isEmpty();
    assertThat(slots.inUse()).isZero();
    channel.finishAndReleaseAll();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          no free slot         | 0    | 9223372036854775807 | 503 | busy with other uploads
          spool disk too full  | 1    | 150                 | 507 | short of spool space
          """)
  void aCallRefusedForCapacityGets503Or507WithRetryAfter(
      String name, int freeSlots, long free, int status, String message) throws IOException {
    slots = new Slots(freeSlots);
    freeSpace = free;
    EmbeddedChannel channel = channel();
    channel.writeInbound(post(UPLOAD, 100));

    FullHttpResponse response = channel.readOutbound();
    try {
      assertThat(response.status().code()).isEqualTo(status);
      assertThat(response.headers().get("retry-after")).isEqualTo("1");
      assertThat(response.content().toString(StandardCharsets.UTF_8)).contains(message);
    } finally {
      response.release();
    }
    assertThat(callDirectories()).isEmpty();
    assertThat(slots.inUse()).isZero();
    channel.finishAndReleaseAll();
  }

  @ParameterizedTest(name = "api_key {0}")
  @CsvSource({"1234, 401, Invalid Signature", "9999, 401, Unknown API key 9999"})
  void aBadlySignedUploadIsRefusedByDocShiftItself(String apiKey, int status, String message)
      throws IOException {
    EmbeddedChannel channel = channel();
    String body =
        field("api_key", apiKey)
            + field("timestamp", Long.toString(System.currentTimeMillis() / 1000))
            + field("signature", "0000000000000000000000000000000000000000")
            + "--b--\r\n";
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    channel.writeInbound(post(UPLOAD, bytes.length));
    channel.writeInbound(new DefaultLastHttpContent(Unpooled.wrappedBuffer(bytes)));
    channel.runPendingTasks();

    FullHttpResponse response = channel.readOutbound();
    try {
      assertThat(response.status().code()).isEqualTo(status);
      assertThat(response.content().toString(StandardCharsets.UTF_8))
          .startsWith("{\"error\":{\"message\":\"" + message);
    } finally {
      response.release();
    }
    assertThat(callDirectories()).isEmpty();
    assertThat(slots.inUse()).isZero();
    channel.finishAndReleaseAll();
  }

  private static String field(String name, String value) {
    return "--b\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n";
  }

  @Test
  void aDeliveryRequestGoesOnUntouched() {
    EmbeddedChannel channel = channel();
    HttpRequest get =
        new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/demo/raw/upload/a.pdf");
    channel.writeInbound(get);
    Object passed = channel.readInbound();
    assertThat(passed).isSameAs(get);
    Object answered = channel.readOutbound();
    assertThat(answered).isNull();
    assertThat(slots.inUse()).isZero();
    channel.finishAndReleaseAll();
  }

  @Test
  void aClientThatLeavesMidBodyLeavesNoSpoolAndNoSlot() throws IOException {
    EmbeddedChannel channel = channel();
    channel.writeInbound(post(UPLOAD, 100));
    channel.writeInbound(new DefaultHttpContent(Unpooled.wrappedBuffer(new byte[40])));
    assertThat(callDirectories()).hasSize(1);
    assertThat(slots.inUse()).isEqualTo(1);

    channel.close();

    assertThat(callDirectories()).isEmpty();
    assertThat(slots.inUse()).isZero();
    Object answered = channel.readOutbound();
    assertThat(answered).isNull();
  }

  private static HttpRequest post(String uri, long contentLength) {
    HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, uri);
    request.headers().set(HttpHeaderNames.HOST, "docshift.test");
    request.headers().set(HttpHeaderNames.CONTENT_TYPE, "multipart/form-data; boundary=b");
    if (contentLength >= 0) {
      request.headers().set(HttpHeaderNames.CONTENT_LENGTH, contentLength);
    } else {
      request.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    }
    return request;
  }

  private List<Path> callDirectories() throws IOException {
    if (!Files.exists(spool)) {
      return List.of();
    }
    try (Stream<Path> dirs = Files.list(spool)) {
      return dirs.toList();
    }
  }

  private static DocumentStore neverAsked(String name) {
    return (DocumentStore)
        Proxy.newProxyInstance(
            DocumentStore.class.getClassLoader(),
            new Class<?>[] {DocumentStore.class},
            (proxy, method, args) -> {
              if (method.getName().equals("close")) {
                return null;
              }
              throw new AssertionError(name + " store asked: " + method.getName());
            });
  }
}
