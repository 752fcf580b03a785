package io.docshift.stores.http;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;

/**
 * The connection one {@link UpstreamExchange} holds, and whether it goes back to its {@link
 * LoopPool} when the call is done: only when the server keeps it alive, the whole request went out
 * (an answer that came before the whole request body leaves the connection mid-request) and the
 * client is still open. Lives on the exchange's event loop.
 */
final class ExchangeConnection {
  /** A body dropped by the consumer is read and thrown away up to this size, else closed. */
  private static final long MAX_DRAIN_BYTES = 64 * 1024;

  private final UpstreamClient client;
  private final LoopPool pool;
  private UpstreamHandler handler;
  private boolean keepAlive;
  private boolean drainable;
  private boolean requestSent;

  ExchangeConnection(UpstreamClient client, LoopPool pool) {
    this.client = client;
    this.pool = pool;
  }

  /** Holds {@code target}, whose responses go to {@code exchange}. */
  void take(UpstreamHandler target, UpstreamExchange exchange) {
    handler = target;
    target.attach(exchange);
  }

  /** Whether {@code target} is the connection held now. */
  boolean holds(UpstreamHandler target) {
    return handler == target;
  }

  Channel channel() {
    return handler.channel();
  }

  /** The connection held now. */
  UpstreamHandler handler() {
    return handler;
  }

  /** The whole request is written. */
  void requestSent() {
    requestSent = true;
  }

  /** The response's headers came: they say whether the connection may carry another call. */
  void answered(HttpMethod method, HttpResponse response) {
    keepAlive = HttpUtil.isKeepAlive(response);
    long length = HttpUtil.getContentLength(response, -1L);
    drainable = bodiless(method, response) || (length >= 0 && length <= MAX_DRAIN_BYTES);
  }

  /**
   * Whether the rest of the body is short enough to read and throw away, keeping the connection.
   */
  boolean drainable() {
    return drainable;
  }

  /**
   * The call completed: back to the pool when the connection can carry another call, else closed.
   */
  void release() {
    UpstreamHandler done = handler;
    handler = null;
    done.detach();
    if (keepAlive && requestSent && !client.closed() && done.channel().isActive()) {
      pool.release(done);
    } else {
      done.channel().close();
    }
  }

  /** Drops the connection held, if any: closed, never reused. */
  void close() {
    UpstreamHandler current = handler;
    handler = null;
    if (current != null) {
      current.detach();
      current.channel().close();
    }
  }

  /** HEAD, 204 and 304 answers carry no body whatever their headers say. */
  private static boolean bodiless(HttpMethod method, HttpResponse response) {
    int status = response.status().code();
    return method.equals(HttpMethod.HEAD)
        || status == HttpResponseStatus.NO_CONTENT.code()
        || status == HttpResponseStatus.NOT_MODIFIED.code();
  }
}
