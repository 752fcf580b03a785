package io.docshift.proxy.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.core.metrics.Operation;
import io.docshift.core.outcome.Backend;
import io.docshift.core.store.StoreTrust;
import io.docshift.stores.http.HopByHop;
import io.docshift.stores.http.UpstreamClient;
import io.docshift.stores.http.UpstreamSettings;
import io.docshift.testkit.Eventually;
import io.docshift.testkit.TestCa;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The one pass-through, between a real client socket and a scripted upstream ({@link RawUpstream}),
 * on one event loop as in the proxy: a body cut by the upstream, a client that leaves mid-body, a
 * silent upstream, and a request body sent from a file (as a region, and in chunks through TLS).
 * Every test also checks that the upstream connection is gone afterwards (the leak gate checks the
 * buffers).
 */
@Timeout(30)
class UpstreamRelayTest {
  private static final UpstreamRelay.Rules API =
      new UpstreamRelay.Rules(Operation.API_PASS_THROUGH, name -> !HopByHop.response(name));
  private static final Duration RESPONSE_TIMEOUT = Duration.ofMillis(500);

  @TempDir Path dir;
  private EventLoopGroup loops;
  private Channel front;
  private RawUpstream upstream;
  private UpstreamClient client;
  private final CompletableFuture<Void> answered = new CompletableFuture<>();
  private Optional<Path> body = Optional.empty();

  @BeforeEach
  void start() {
    loops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  }

  @AfterEach
  void stop() throws IOException {
    if (front != null) {
      front.close().syncUninterruptibly();
    }
    if (client != null) {
      client.close();
    }
    if (upstream != null) {
      upstream.close();
    }
    loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** A front server that relays every request to {@code upstream} with the API's rules. */
  private int front(RawUpstream script) {
    return front(script, StoreTrust.system());
  }

  private int front(RawUpstream script, StoreTrust trust) {
    upstream = script;
    client =
        UpstreamClient.create(
            script.url(),
            loops,
            UpstreamSettings.of(Backend.CLOUDINARY, Duration.ofSeconds(2), RESPONSE_TIMEOUT)
                .withTrust(trust));
    front =
        new ServerBootstrap()
            .group(loops)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    ch.pipeline().addLast(new HttpServerCodec(), new Front());
                  }
                })
            .bind("127.0.0.1", 0)
            .syncUninterruptibly()
            .channel();
    return ((InetSocketAddress) front.localAddress()).getPort();
  }

  /** Starts one relay per request and keeps it informed, as the routing handlers do. */
  private final class Front extends ChannelInboundHandlerAdapter {
    private UpstreamRelay relay;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof HttpRequest request) {
        HttpHeaders headers = UpstreamClient.newHeaders();
        headers.set("X-Test", "sent");
        relay = new UpstreamRelay(ctx, API, true);
        relay
            .start(client, request.method(), request.uri(), headers, body)
            .whenComplete((v, t) -> answered.complete(null));
      }
      ReferenceCountUtil.release(msg);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      if (relay != null && !relay.done()) {
        relay.writabilityChanged();
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (relay != null && !relay.done()) {
        relay.clientGone();
      }
    }
  }

  private void awaitNoUpstreamConnection() {
    Eventually.until(
        Duration.ofSeconds(5), () -> client.openConnections() == 0, "upstream connection closed");
  }

  @Test
  void anUpstreamThatResetsMidBodyClosesTheClientConnectionShortOfTheAnnouncedLength()
      throws Exception {
    int port =
        front(
            new RawUpstream(
                (socket, head) -> {
                  OutputStream out = socket.getOutputStream();
                  out.write(ascii("HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n"));
                  out.write(new byte[100_000]);
                  out.flush();
                  socket.setSoLinger(true, 0); // a reset, not a clean close
                }));

    Answer answer = get(port, "/v1_1/demo/resources/raw");

    assertThat(answer.head()).startsWith("HTTP/1.1 200").contains("content-length: 1000000");
    assertThat(answer.bodyBytes()).isLessThan(1_000_000);
    assertThat(answer.closed()).isTrue();
    awaitNoUpstreamConnection();
  }

  @Test
  void aClientThatLeavesMidBodyClosesTheUpstreamConnection() throws Exception {
    int port =
        front(
            new RawUpstream(
                (socket, head) -> {
                  OutputStream out = socket.getOutputStream();
                  out.write(ascii("HTTP/1.1 200 OK\r\nContent-Length: 500000000\r\n\r\n"));
                  byte[] chunk = new byte[64 * 1024];
                  for (int i = 0; i < 500_000_000 / chunk.length; i++) {
                    out.write(chunk); // fails once the relay closed the connection
                  }
                }));

    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.getOutputStream().write(ascii("GET /v1_1/demo/download HTTP/1.1\r\nHost: x\r\n\r\n"));
      InputStream in = socket.getInputStream();
      assertThat(RawUpstream.head(in)).startsWith("HTTP/1.1 200");
      assertThat(in.readNBytes(200_000)).hasSize(200_000);
    }

    upstream.peerClosed().get(10, TimeUnit.SECONDS);
    awaitNoUpstreamConnection();
  }

  @Test
  void aSilentUpstreamIsAnswered504AtTheResponseTimeout() throws Exception {
    CompletableFuture<Void> release = new CompletableFuture<>();
    int port = front(new RawUpstream((socket, head) -> release.get(20, TimeUnit.SECONDS)));

    long started = System.nanoTime();
    Answer answer = get(port, "/v1_1/demo/resources/raw");
    long tookMillis = (System.nanoTime() - started) / 1_000_000;
    release.complete(null);

    assertThat(answer.head()).startsWith("HTTP/1.1 504").contains("x-docshift-backend: cloudinary");
    assertThat(tookMillis).isGreaterThanOrEqualTo(RESPONSE_TIMEOUT.toMillis());
    assertThat(answered).isCompleted();
    awaitNoUpstreamConnection();
  }

  @ParameterizedTest(name = "tls: {0}")
  @ValueSource(booleans = {false, true})
  void aFileBodyGoesUpstreamAndTheAnswerComesBackWithoutHopByHopHeaders(boolean tls)
      throws Exception {
    byte[] sent = new byte[300_000];
    Arrays.fill(sent, (byte) 'a');
    body = Optional.of(Files.write(dir.resolve("body"), sent));
    CompletableFuture<String> upstreamHead = new CompletableFuture<>();
    CompletableFuture<byte[]> upstreamBody = new CompletableFuture<>();
    RawUpstream.Script script =
        (socket, head) -> {
          upstreamHead.complete(head);
          upstreamBody.complete(socket.getInputStream().readNBytes(sent.length));
          socket
              .getOutputStream()
              .write(
                  ascii(
                      "HTTP/1.1 201 Created\r\nContent-Length: 2\r\nX-Custom: kept\r\n"
                          + "Keep-Alive: timeout=5\r\n\r\nok"));
          socket.getInputStream().read(); // until the relay closes or pools it
        };
    int port;
    if (tls) {
      TestCa ca = TestCa.create("relay-test");
      port =
          front(
              new RawUpstream(tlsServerSocket(ca.issue()), script),
              StoreTrust.caBundle(ca.writeCaPem(dir.resolve("ca.pem"))));
    } else {
      port = front(new RawUpstream(script));
    }

    Answer answer = exchange(port, "POST /v1_1/demo/raw/explicit HTTP/1.1\r\nHost: x\r\n\r\n");

    assertThat(upstreamHead.get(5, TimeUnit.SECONDS))
        .startsWith("POST /v1_1/demo/raw/explicit HTTP/1.1")
        .containsIgnoringCase("content-length: 300000")
        .containsIgnoringCase("x-test: sent");
    assertThat(upstreamBody.get(5, TimeUnit.SECONDS)).isEqualTo(sent);
    assertThat(answer.head())
        .startsWith("HTTP/1.1 201")
        .contains("x-custom: kept")
        .doesNotContain("keep-alive: timeout");
    assertThat(answer.body()).isEqualTo(ascii("ok"));
  }

  private static ServerSocket tlsServerSocket(TestCa.Issued issued) throws Exception {
    char[] password = "test".toCharArray();
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry(
        "upstream",
        issued.key(),
        password,
        new Certificate[] {issued.certificate(), issued.issuer()});
    KeyManagerFactory factory =
        KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    factory.init(keys, password);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(factory.getKeyManagers(), null, null);
    return context.getServerSocketFactory().createServerSocket(0);
  }

  /** The status line and headers (names lowercased), and the body up to the length or the end. */
  private record Answer(String head, byte[] body, boolean closed) {
    long bodyBytes() {
      return body.length;
    }
  }

  private static Answer get(int port, String target) throws IOException {
    return exchange(port, "GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n");
  }

  private static Answer exchange(int port, String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(ascii(request));
      InputStream in = socket.getInputStream();
      String head = lowerNames(RawUpstream.head(in));
      long length = contentLength(head);
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      boolean closed = false;
      byte[] buffer = new byte[64 * 1024];
      while (length < 0 || body.size() < length) {
        int n;
        try {
          n = in.read(buffer);
        } catch (SocketException reset) {
          n = -1;
        }
        if (n < 0) {
          closed = true;
          break;
        }
        body.write(buffer, 0, n);
      }
      return new Answer(head, body.toByteArray(), closed);
    }
  }

  private static String lowerNames(String head) {
    StringBuilder out = new StringBuilder();
    for (String line : head.split("\r\n")) {
      int colon = line.indexOf(':');
      out.append(
              colon < 0
                  ? line
                  : line.substring(0, colon).toLowerCase(Locale.ROOT) + line.substring(colon))
          .append("\r\n");
    }
    return out.toString();
  }

  private static long contentLength(String head) {
    for (String line : head.split("\r\n")) {
      if (line.startsWith("content-length:")) {
        return Long.parseLong(line.substring("content-length:".length()).strip());
      }
    }
    return -1;
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
