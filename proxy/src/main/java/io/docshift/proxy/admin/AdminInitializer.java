package io.docshift.proxy.admin;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.util.function.Supplier;

/**
 * The admin pipeline, read in one place: limits and codec, then the admin handler (which hands
 * ledger I/O to a worker executor). Bodies over {@link #MAX_BODY_BYTES} get 413 from the
 * aggregator; idle connections close after 30 s.
 */
final class AdminInitializer extends ChannelInitializer<SocketChannel> {
  static final int MAX_BODY_BYTES = 64 * 1024;
  static final String TIMEOUT = "admin-timeout";
  static final String CODEC = "admin-codec";
  static final String CONTINUE = "admin-continue";
  static final String AGGREGATOR = "admin-aggregator";
  static final String HANDLER = "admin-handler";

  static final String METERING = "admin-metering";

  private final Supplier<AdminHandler> handlers;
  private final AdminMeters meters;

  /** {@code meters} null: requests are not metered. */
  AdminInitializer(Supplier<AdminHandler> handlers, AdminMeters meters) {
    this.handlers = handlers;
    this.meters = meters;
  }

  @Override
  protected void initChannel(SocketChannel channel) {
    ChannelPipeline pipeline = channel.pipeline();
    limitsAndCodec(pipeline);
    if (meters != null) {
      pipeline.addAfter(CODEC, METERING, new AdminMetering(meters, System::nanoTime));
    }
    pipeline.addLast(HANDLER, handlers.get());
  }

  static void limitsAndCodec(ChannelPipeline pipeline) {
    pipeline.addLast(TIMEOUT, new ReadTimeoutHandler(30));
    pipeline.addLast(CODEC, new HttpServerCodec(4096, 8192, 8192));
    pipeline.addLast(CONTINUE, new HttpServerExpectContinueHandler());
    pipeline.addLast(AGGREGATOR, new HttpObjectAggregator(MAX_BODY_BYTES));
  }
}
