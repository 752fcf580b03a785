package io.docshift.proxy.admin;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.function.LongSupplier;

/**
 * One connection's admin request meter, right after the codec: it sees each request's head as it
 * arrives and every final response on its way out, including the ones the pipeline answers itself
 * (413 from the aggregator, 400 for a malformed request). Answers go out in request order (the
 * admin handler runs one connection's requests on one executor), so a queue pairs them. Interim
 * {@code 100 Continue} answers are not final and are skipped.
 */
final class AdminMetering extends ChannelDuplexHandler {
  private final AdminMeters meters;
  private final LongSupplier nanos;
  private final Queue<Pending> pending = new ArrayDeque<>();

  private record Pending(String route, long start) {}

  AdminMetering(AdminMeters meters, LongSupplier nanos) {
    this.meters = meters;
    this.nanos = nanos;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest request) {
      String path = new QueryStringDecoder(request.uri()).path();
      pending.add(new Pending(AdminMeters.route(path), nanos.getAsLong()));
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof HttpResponse response && response.status().code() >= 200) {
      Pending request = pending.poll();
      if (request != null) {
        meters.record(
            request.route(), response.status().code(), nanos.getAsLong() - request.start());
      }
    }
    ctx.write(msg, promise);
  }
}
