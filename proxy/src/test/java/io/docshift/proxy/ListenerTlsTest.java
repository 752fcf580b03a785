package io.docshift.proxy;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docshift.core.store.StoreTrust;
import io.docshift.testkit.TempDirs;
import io.docshift.testkit.TestCa;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A listener's TLS on a real socket (an echo server behind {@link TlsFront}): only TLSv1.3 and
 * TLSv1.2 with AEAD ciphers, ALPN {@code http/1.1}, and certificates re-read from changed files for
 * new connections while open ones keep working.
 */
class ListenerTlsTest {
  private static final Duration CHECK = Duration.ofSeconds(5);

  private final TestCa ca = TestCa.create("docshift listener test CA");
  private final AtomicLong nanos = new AtomicLong();
  private Path dir;
  private Path cert;
  private Path key;
  private EventLoopGroup group;
  private Channel server;
  private ListenerTls tls;
  private SSLSocketFactory clients;

  @BeforeEach
  void start() {
    dir = TempDirs.create("docshift-listener-tls-");
    cert = dir.resolve("server.pem");
    key = dir.resolve("server.key");
    ca.issue().writePem(cert, key);
    tls = ListenerTls.start(cert, key, CHECK, nanos::get);
    group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    server =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(TlsFront.wrap(Optional.of(tls), new Echo()))
            .bind("127.0.0.1", 0)
            .syncUninterruptibly()
            .channel();
    clients = StoreTrust.caBundle(ca.writeCaPem(dir.resolve("ca.pem"))).jdk().getSocketFactory();
  }

  @AfterEach
  void stop() {
    server.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    TempDirs.delete(dir);
  }

  @Test
  void servesTls13AndTls12WithAeadCiphersAndAlpnHttp11() throws IOException {
    try (SSLSocket tls13 = connect("TLSv1.3", null)) {
      assertThat(tls13.getSession().getProtocol()).isEqualTo("TLSv1.3");
      assertThat(tls13.getApplicationProtocol()).isEqualTo("http/1.1");
      assertThat(echo(tls13, "hello")).isEqualTo("hello");
    }
    try (SSLSocket tls12 = connect("TLSv1.2", null)) {
      assertThat(tls12.getSession().getProtocol()).isEqualTo("TLSv1.2");
      assertThat(tls12.getSession().getCipherSuite()).contains("_GCM_");
      assertThat(tls12.getApplicationProtocol()).isEqualTo("http/1.1");
    }
  }

  @Test
  void refusesATls12ClientOfferingOnlyCbcCiphers() {
    assertThatThrownBy(() -> connect("TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256").close())
        .isInstanceOf(IOException.class);
  }

  /**
   * The JDK's own client no longer offers TLSv1.1, so the hello is written by hand: a TLSv1.1
   * ClientHello with the CBC suites of that era. A TLSv1.3/1.2-only server answers with an alert.
   */
  @Test
  void refusesAClientOfferingOnlyTls11() throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port())) {
      socket.setSoTimeout(5_000);
      socket.getOutputStream().write(Tls11Hello.bytes());
      socket.getOutputStream().flush();
      InputStream in = socket.getInputStream();
      // A fatal alert record (21), not a ServerHello (a handshake record, 22): after the type
      // come version (2 bytes), length (2), level (2 = fatal) and description (70).
      assertThat(in.read()).as("record type").isEqualTo(21);
      byte[] rest = new DataInputStream(in).readNBytes(6);
      assertThat(rest[4]).as("alert level").isEqualTo((byte) 2);
      assertThat(rest[5]).as("alert description: protocol_version").isEqualTo((byte) 70);
    }
  }

  @Test
  void newConnectionsGetAChangedCertificateAndOpenOnesKeepWorking() throws IOException {
    try (SSLSocket old = connect("TLSv1.3", null)) {
      BigInteger first = serial(old);
      TestCa.Issued replacement = ca.issue();
      replacement.writePem(cert, key);

      try (SSLSocket beforeCheck = connect("TLSv1.3", null)) {
        assertThat(serial(beforeCheck))
            .as("files are looked at once per interval")
            .isEqualTo(first);
      }
      nanos.addAndGet(CHECK.toNanos());
      try (SSLSocket fresh = connect("TLSv1.3", null)) {
        assertThat(serial(fresh)).isEqualTo(replacement.serial()).isNotEqualTo(first);
      }
      assertThat(echo(old, "still there")).isEqualTo("still there");
      assertThat(serial(old)).isEqualTo(first);
    }
  }

  @Test
  void aPairThatDoesNotLoadKeepsThePreviousCertificate() throws IOException {
    BigInteger first;
    try (SSLSocket before = connect("TLSv1.3", null)) {
      first = serial(before);
    }
    TestCa.Issued other = ca.issue();
    TestCa.Issued another = ca.issue();
    // The certificate of one pair with the key of another: a half-done rotation.
    other.writePem(cert, dir.resolve("unused.key"));
    another.writePem(dir.resolve("unused.pem"), key);

    assertThat(tls.reloadIfChanged()).isFalse();
    nanos.addAndGet(CHECK.toNanos());
    try (SSLSocket after = connect("TLSv1.3", null)) {
      assertThat(serial(after)).isEqualTo(first);
    }
    other.writePem(cert, key);
    assertThat(tls.reloadIfChanged()).isTrue();
  }

  private SSLSocket connect(String protocol, String cipher) throws IOException {
    SSLSocket socket = (SSLSocket) clients.createSocket("127.0.0.1", port());
    socket.setSoTimeout(5_000);
    SSLParameters parameters = socket.getSSLParameters();
    parameters.setProtocols(new String[] {protocol});
    if (cipher != null) {
      parameters.setCipherSuites(new String[] {cipher});
    }
    parameters.setApplicationProtocols(new String[] {"h2", "http/1.1"});
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    socket.setSSLParameters(parameters);
    socket.startHandshake();
    return socket;
  }

  private int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  private static BigInteger serial(SSLSocket socket) throws IOException {
    return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
  }

  private static String echo(SSLSocket socket, String text) throws IOException {
    socket.getOutputStream().write(text.getBytes(US_ASCII));
    socket.getOutputStream().flush();
    return new String(socket.getInputStream().readNBytes(text.length()), US_ASCII);
  }

  /** Writes back what it reads. */
  private static final class Echo extends ChannelInboundHandlerAdapter {
    @Override
    public boolean isSharable() {
      return true;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ctx.writeAndFlush((ByteBuf) msg);
    }
  }
}
