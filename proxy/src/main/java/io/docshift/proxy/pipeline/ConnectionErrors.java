package io.docshift.proxy.pipeline;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of a client connection: an exception no handler before it dealt with closes the
 * connection (its state is unknown, so no further answer on it can be trusted) instead of reaching
 * Netty's pipeline tail, which logs a warning with a stack trace for each one. A client resetting
 * its connection is routine (slow-client attacks and load tools do it by the thousand) and logged
 * at debug only; anything else is one warning line naming the exception's class, never its message,
 * which may quote request bytes.
 */
@Sharable
final class ConnectionErrors extends ChannelInboundHandlerAdapter {
  static final ConnectionErrors INSTANCE = new ConnectionErrors();
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionErrors.class);

  private ConnectionErrors() {}

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof IOException) {
      LOG.debug("client connection failed", cause);
    } else {
      LOG.warn("client connection closed after an unhandled {}", cause.getClass().getName());
      LOG.debug("unhandled on a client connection", cause);
    }
    ctx.close();
  }
}
