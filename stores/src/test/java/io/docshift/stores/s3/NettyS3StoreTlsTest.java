package io.docshift.stores.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.core.config.S3Settings;
import io.docshift.core.key.DeliveryType;
import io.docshift.core.key.DocumentKey;
import io.docshift.core.key.ResourceType;
import io.docshift.core.outcome.Outcome;
import io.docshift.core.store.DocumentResponse;
import io.docshift.core.store.StoreException;
import io.docshift.core.store.StoreTrust;
import io.docshift.sandbox.s3.EmbeddedS3;
import io.docshift.testkit.EmbeddedS3Extension;
import io.docshift.testkit.SlowSubscriber;
import io.docshift.testkit.TempDirs;
import io.docshift.testkit.TestBodies;
import io.docshift.testkit.TestCa;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * S3 reads on DocShift's own client over HTTPS, against S3Proxy serving a certificate of a test CA:
 * the configured CA bundle is trusted, the JDK's default CAs are not enough, and an unverified
 * certificate is a connect fault (as with the SDK), never a silent plain read.
 */
class NettyS3StoreTlsTest {
  private static final TestCa CA = TestCa.create("docshift s3 test CA");
  private static final TestCa STRANGER = TestCa.create("some other CA");
  private static final DocumentKey KEY =
      DocumentKey.of("demo", ResourceType.RAW, DeliveryType.UPLOAD, "tls/doc.bin", null);

  private static Path dir;
  private static EmbeddedS3 s3;
  private static EventLoopGroup loops;

  @BeforeAll
  static void start() {
    dir = TempDirs.create("docshift-s3-tls-");
    s3 =
        EmbeddedS3.startSecure(
            dir.resolve("data"),
            "127.0.0.1",
            EmbeddedS3Extension.BUCKET,
            EmbeddedS3Extension.ACCESS_KEY,
            EmbeddedS3Extension.SECRET_KEY,
            CA.issue().writePkcs12(dir.resolve("s3.p12"), "changeit"),
            "changeit");
    loops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  }

  @AfterAll
  static void stop() {
    try {
      loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
      s3.close();
    } finally {
      TempDirs.delete(dir);
    }
  }

  private static S3Settings settings(TestCa trusted, String name) {
    return S3Settings.builder(EmbeddedS3.REGION, EmbeddedS3Extension.BUCKET)
        .endpoint(s3.endpoint())
        .credentials(EmbeddedS3Extension.ACCESS_KEY, EmbeddedS3Extension.SECRET_KEY)
        .pathStyle(true)
        .trust(StoreTrust.caBundle(trusted.writeCaPem(dir.resolve(name))))
        .build();
  }

  private static NettyS3Store open(S3Settings settings) {
    return NettyS3Store.create(
        S3DocumentStore.create(settings), settings, loops, Duration.ofSeconds(30));
  }

  @Test
  void theConfiguredCaIsTrustedAndAStrangersCertificateIsAConnectFault() throws Exception {
    byte[] data = TestBodies.random(70_000, 11);
    try (NettyS3Store trusting = open(settings(CA, "ca.pem"));
        NettyS3Store refusing = open(settings(STRANGER, "stranger.pem"))) {
      trusting
          .put(KEY, TestPutRequests.putRequest(data, "application/octet-stream"))
          .get(30, TimeUnit.SECONDS);

      DocumentResponse read = trusting.get(KEY, Optional.empty()).get(30, TimeUnit.SECONDS);
      byte[] bytes = SlowSubscriber.collect(read.body()).get(30, TimeUnit.SECONDS);
      ExecutionException refused =
          org.junit.jupiter.api.Assertions.assertThrows(
              ExecutionException.class,
              () -> refusing.get(KEY, Optional.empty()).get(30, TimeUnit.SECONDS));

      assertThat(bytes).isEqualTo(data);
      assertThat(read.meta().md5Hex()).contains(TestBodies.md5Hex(data));
      assertThat(refused.getCause()).isInstanceOf(StoreException.class);
      assertThat(((StoreException) refused.getCause()).outcome()).isEqualTo(Outcome.S3_CONNECT);
      assertThat(refusing.client().openConnections()).isZero();
    }
  }
}
