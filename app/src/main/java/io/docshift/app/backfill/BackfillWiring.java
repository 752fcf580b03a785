package io.docshift.app.backfill;

import io.docshift.core.config.CloudinaryAccount;
import io.docshift.core.config.DocShiftConfig;
import io.docshift.core.config.StoreSettings;
import io.docshift.stores.cloudinary.CloudinaryDocumentStore;
import io.docshift.stores.s3.S3DocumentStore;
import io.netty.channel.EventLoopGroup;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Builds the backfill's stores from the configuration. */
final class BackfillWiring {
  private BackfillWiring() {}

  static CloudinaryAccount account(DocShiftConfig config) {
    config.requireNonEmpty("cloudinary.cloudName", "cloudinary.apiKey", "cloudinary.apiSecret");
    return StoreSettings.cloudinaryAccount(config.cloudinary());
  }

  static CloudinaryDocumentStore cloudinary(DocShiftConfig config, CloudinaryAccount account) {
    return CloudinaryDocumentStore.builder(account)
        .responseTimeout(Duration.ofMillis(config.cloudinary().requestTimeoutMillis()))
        .connectTimeout(Duration.ofMillis(config.cloudinary().connectTimeoutMillis()))
        .build();
  }

  /** An S3 store with connections for every worker (one download and one upload each). */
  static S3DocumentStore s3(DocShiftConfig config, int concurrency, S3Loops loops) {
    config.requireNonEmpty("s3.bucket");
    return S3DocumentStore.create(
        StoreSettings.s3(config.s3()).maxConcurrency(Math.max(64, concurrency * 2)).build(),
        loops.group);
  }

  /**
   * The S3 client's event loops, owned here rather than by the SDK: the SDK's own close sits out a
   * 2 s quiet period, which is pure delay at the end of a backfill (nothing is in flight by then).
   * Close after the store.
   */
  static final class S3Loops implements AutoCloseable {
    private final EventLoopGroup group = newGroup();

    // The AWS SDK recognises NioEventLoopGroup (or epoll), not Netty 4.2's generic group.
    @SuppressWarnings("deprecation")
    private static EventLoopGroup newGroup() {
      return new io.netty.channel.nio.NioEventLoopGroup(Runtime.getRuntime().availableProcessors());
    }

    @Override
    public void close() {
      group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }
}
