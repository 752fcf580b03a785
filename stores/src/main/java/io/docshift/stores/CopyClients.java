package io.docshift.stores;

import static java.util.Objects.requireNonNull;

import io.docshift.core.config.CloudinaryAccount;
import io.docshift.core.config.S3Settings;
import io.docshift.core.outcome.Backend;
import io.docshift.core.store.DocumentStore;
import io.docshift.stores.cloudinary.NettyCloudinaryStore;
import io.docshift.stores.http.UpstreamClient;
import io.docshift.stores.http.UpstreamSettings;
import io.docshift.stores.s3.NettyS3Store;
import io.docshift.stores.s3.S3DocumentStore;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The Netty clients a copy of originals runs on outside the proxy (the backfill): event loops of
 * its own, Cloudinary downloads ({@link NettyCloudinaryStore}) and S3 puts streamed on the same
 * loops ({@link NettyS3Store#createWithPuts}), so a download's pieces go to its upload with pooled
 * buffers, backpressure from the S3 connection, and none of the JDK or SDK clients' per-request
 * work. Listings, copies and deletes stay on the SDK store given to {@link #s3}.
 *
 * <p>Closing closes the delivery clients made here and shuts the loops down; the stores (and the
 * SDK stores they were given) are their owners' to close, before this.
 */
public final class CopyClients implements AutoCloseable {
  private final EventLoopGroup loops;
  private final List<UpstreamClient> clients = new CopyOnWriteArrayList<>();

  private CopyClients(EventLoopGroup loops) {
    this.loops = loops;
  }

  /** Clients on {@code threads} event loops (daemon threads). */
  public static CopyClients create(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads: " + threads + " (expected: > 0)");
    }
    return new CopyClients(
        new MultiThreadIoEventLoopGroup(
            threads, new DefaultThreadFactory("docshift-copy", true), NioIoHandler.newFactory()));
  }

  /**
   * Cloudinary reads of originals on these loops; {@code put} and {@code delete} go to {@code
   * writes} (closed with the store).
   *
   * @param totalWait longest total wait of one download (headers plus every body read)
   */
  public NettyCloudinaryStore cloudinary(
      CloudinaryAccount account,
      DocumentStore writes,
      Duration connectTimeout,
      Duration responseTimeout,
      Duration totalWait) {
    requireNonNull(account, "account");
    UpstreamSettings settings =
        UpstreamSettings.of(Backend.CLOUDINARY, connectTimeout, responseTimeout)
            .withTotalWait(totalWait)
            .withTrust(account.trust());
    UpstreamClient delivery = UpstreamClient.create(account.deliveryUrl(), loops, settings);
    clients.add(delivery);
    return NettyCloudinaryStore.create(account, delivery, writes);
  }

  /**
   * S3 reads and streamed puts on these loops; everything else goes to {@code sdk} (closed with the
   * store).
   *
   * @param totalWait longest total wait of one read on S3
   */
  public NettyS3Store s3(S3DocumentStore sdk, S3Settings settings, Duration totalWait) {
    return NettyS3Store.createWithPuts(sdk, settings, loops, totalWait);
  }

  @Override
  public void close() {
    for (UpstreamClient client : clients) {
      client.close();
    }
    loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
