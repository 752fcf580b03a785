package io.docshift.sandbox.s3;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;

/**
 * An S3-compatible endpoint served in-process by S3Proxy over a directory on disk. It speaks the
 * real S3 REST protocol with AWS signature v2/v4 authentication, so DocShift talks to it exactly as
 * to AWS: through the AWS SDK v2, path-style, with an endpoint override.
 *
 * <p>Objects survive a restart on the same directory. Port 0 picks a free port; {@link #endpoint()}
 * tells the one in use.
 */
public final class EmbeddedS3 implements AutoCloseable {
  /** Region the sandbox advertises; S3Proxy accepts any. */
  public static final String REGION = "us-east-1";

  private final S3Proxy proxy;
  private final String host;
  private final String accessKey;
  private final String secretKey;
  private final boolean secure;

  private EmbeddedS3(
      S3Proxy proxy, String host, String accessKey, String secretKey, boolean secure) {
    this.secure = secure;
    this.proxy = proxy;
    this.host = host;
    this.accessKey = accessKey;
    this.secretKey = secretKey;
  }

  /**
   * Starts S3Proxy on {@code host:port}, storing objects under {@code dir}, and makes sure {@code
   * bucket} exists.
   *
   * @throws IllegalStateException when the port is taken or the directory is not writable
   */
  public static EmbeddedS3 start(
      Path dir, String host, int port, String bucket, String accessKey, String secretKey) {
    requireNonNull(dir, "dir");
    requireNonNull(bucket, "bucket");
    try {
      S3Proxy proxy =
          builder(dir, bucket, accessKey, secretKey)
              .endpoint(URI.create("http://" + host + ":" + port))
              .build();
      proxy.start();
      awaitStarted(proxy);
      return new EmbeddedS3(proxy, host, accessKey, secretKey, false);
    } catch (Exception e) {
      throw new IllegalStateException(
          "cannot start embedded S3 on " + host + ":" + port + " over " + dir + ": " + e, e);
    }
  }

  /**
   * Starts S3Proxy serving HTTPS only on {@code host} (a free port), with the key and certificate
   * chain of the PKCS#12 {@code keyStore}.
   *
   * @throws IllegalStateException when it cannot start
   */
  public static EmbeddedS3 startSecure(
      Path dir,
      String host,
      String bucket,
      String accessKey,
      String secretKey,
      Path keyStore,
      String password) {
    requireNonNull(keyStore, "keyStore");
    try {
      S3Proxy proxy =
          builder(dir, bucket, accessKey, secretKey)
              .secureEndpoint(URI.create("https://" + host + ":0"))
              .keyStore(keyStore.toString(), password)
              .build();
      proxy.start();
      awaitStarted(proxy);
      return new EmbeddedS3(proxy, host, accessKey, secretKey, true);
    } catch (Exception e) {
      throw new IllegalStateException("cannot start embedded HTTPS S3 over " + dir + ": " + e, e);
    }
  }

  private static S3Proxy.Builder builder(
      Path dir, String bucket, String accessKey, String secretKey) throws Exception {
    Files.createDirectories(dir);
    BlobStore store = new FilesystemNio2BlobStore(dir.toAbsolutePath().toString());
    if (!store.containerExists(bucket)) {
      store.createContainer(bucket);
    }
    return S3Proxy.builder()
        .blobStore(store)
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
        .ignoreUnknownHeaders(true);
  }

  private static void awaitStarted(S3Proxy proxy) throws InterruptedException {
    for (int i = 0; i < 500 && !"STARTED".equals(proxy.getState()); i++) {
      Thread.sleep(10);
    }
    if (!"STARTED".equals(proxy.getState())) {
      throw new IllegalStateException("S3Proxy state " + proxy.getState());
    }
  }

  /** The endpoint, e.g. {@code http://127.0.0.1:8082} ({@code https} when started secure). */
  public URI endpoint() {
    return URI.create((secure ? "https://" : "http://") + host + ":" + port());
  }

  public int port() {
    return secure ? proxy.getSecurePort() : proxy.getPort();
  }

  public String accessKey() {
    return accessKey;
  }

  public String secretKey() {
    return secretKey;
  }

  @Override
  public void close() {
    try {
      proxy.stop();
    } catch (Exception e) {
      throw new IllegalStateException("cannot stop embedded S3: " + e, e);
    }
  }
}
