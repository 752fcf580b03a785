package io.docshift.stores.s3;

import static java.util.Objects.requireNonNull;

import io.docshift.core.config.S3Settings;
import io.docshift.testkit.EmbeddedS3Extension;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The stores a Netty S3 test compares, over the embedded S3 of {@link EmbeddedS3Extension}: the SDK
 * store for the whole class (the reference, and the way a test looks behind the Netty store), and
 * for each test one event loop with a Netty store on it, both closed after the test. Register it in
 * a static field after the S3 extension; a test may swap the Netty store ({@link #reopen}).
 */
final class NettyS3Stores implements BeforeEachCallback, AfterEachCallback, AfterAllCallback {
  private static final Duration TOTAL_WAIT = Duration.ofSeconds(60);

  /** A Netty store factory: {@link NettyS3Store#create} or {@link NettyS3Store#createWithPuts}. */
  @FunctionalInterface
  private interface Opener {
    NettyS3Store open(
        S3DocumentStore writes, S3Settings settings, EventLoopGroup loops, Duration totalWait);
  }

  private final EmbeddedS3Extension s3;
  private final Opener opener;
  private S3DocumentStore sdk;
  private EventLoopGroup loops;
  private NettyS3Store store;

  private NettyS3Stores(EmbeddedS3Extension s3, Opener opener) {
    this.s3 = requireNonNull(s3, "s3");
    this.opener = opener;
  }

  /** Netty stores that read (puts go through their SDK store). */
  static NettyS3Stores reads(EmbeddedS3Extension s3) {
    return new NettyS3Stores(s3, NettyS3Store::create);
  }

  /** Netty stores that read and put. */
  static NettyS3Stores readsAndPuts(EmbeddedS3Extension s3) {
    return new NettyS3Stores(s3, NettyS3Store::createWithPuts);
  }

  /** The SDK store on the embedded S3, open for the whole class. */
  S3DocumentStore sdk() {
    return sdk;
  }

  /** This test's event loop group (one loop). */
  EventLoopGroup loops() {
    return loops;
  }

  /** This test's Netty store. */
  NettyS3Store store() {
    return store;
  }

  /** Closes this test's Netty store and opens one at {@code endpoint}, with the usual settings. */
  NettyS3Store reopen(URI endpoint) {
    return reopen(S3DocumentStoreTest.settings(endpoint));
  }

  /** Closes this test's Netty store and opens one with {@code settings}. */
  NettyS3Store reopen(S3Settings settings) {
    return replace(loops -> open(settings, loops));
  }

  /**
   * Closes this test's Netty store and puts the one {@code build} makes on the loop in its place.
   */
  NettyS3Store replace(Function<EventLoopGroup, NettyS3Store> build) {
    store.close();
    store = build.apply(loops);
    return store;
  }

  private NettyS3Store open(S3Settings settings, EventLoopGroup loops) {
    return opener.open(S3DocumentStore.create(settings), settings, loops, TOTAL_WAIT);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    // Opened here rather than before all: the S3 extension's own before-all has run by now,
    // whichever order JUnit gives the two static extensions.
    if (sdk == null) {
      sdk = S3DocumentStore.create(S3DocumentStoreTest.settings(s3.s3().endpoint()));
    }
    loops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    store = open(S3DocumentStoreTest.settings(s3.s3().endpoint()), loops);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    try {
      store.close();
    } finally {
      loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (sdk != null) {
      sdk.close();
      sdk = null;
    }
  }
}
