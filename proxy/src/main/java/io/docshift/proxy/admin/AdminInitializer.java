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

  private final Supplier<AdminHandler> handlers;

  AdminInitializer(Supplier<AdminHandler> handlers) {
    this.handlers = handlers;
  }

  @Override
  protected void initChannel(SocketChannel channel) {
    ChannelPipeline pipeline = channel.pipeline();
    limitsAndCodec(pipeline);
    pipeline.addLast(HANDLER, handlers.get());
  }

  static void limitsAndCodec(ChannelPipeline pipeline) {
    pipeline.addLast(TIMEOUT, new ReadTimeoutHandler(30));
    pipeline.addLast(CODEC, new HttpServerCodec(4096, 8192, 8192));
    pipeline.addLast(CONTINUE, new HttpServerExpectContinueHandler());
    pipeline.addLast(AGGREGATOR, new HttpObjectAggregator(MAX_BODY_BYTES));
  }
}
