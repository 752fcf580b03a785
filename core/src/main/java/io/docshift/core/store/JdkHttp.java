package io.docshift.core.store;

import static java.util.Objects.requireNonNull;

import io.docshift.core.thread.DaemonThreads;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A JDK {@link HttpClient} as every Cloudinary caller uses it: HTTP/1.1, no redirects, a connect
 * timeout, and daemon threads of its own (named for thread dumps) that {@link #close()} stops, so
 * in-flight calls fail instead of outliving their owner.
 */
public final class JdkHttp implements AutoCloseable {
  private final ExecutorService executor;
  private final HttpClient client;

  private JdkHttp(String threadName, Duration connectTimeout, StoreTrust trust) {
    this.executor = Executors.newCachedThreadPool(DaemonThreads.named(threadName));
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(connectTimeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .executor(executor)
            .sslContext(trust.jdk())
            .build();
  }

  /** A client whose threads are named {@code threadName}, trusting the JDK's default CAs. */
  public static JdkHttp open(String threadName, Duration connectTimeout) {
    return open(threadName, connectTimeout, StoreTrust.system());
  }

  /** A client whose threads are named {@code threadName}, trusting {@code trust}. */
  public static JdkHttp open(String threadName, Duration connectTimeout, StoreTrust trust) {
    return new JdkHttp(
        requireNonNull(threadName, "threadName"),
        requireNonNull(connectTimeout, "connectTimeout"),
        requireNonNull(trust, "trust"));
  }

  /** The client. */
  public HttpClient client() {
    return client;
  }

  /** Stops the client's threads; in-flight calls fail. */
  @Override
  public void close() {
    executor.shutdownNow();
  }
}
