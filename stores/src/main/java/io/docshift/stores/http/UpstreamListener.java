package io.docshift.stores.http;

import io.docshift.core.store.StoreException;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpResponse;

/**
 * Receives one {@link UpstreamExchange}'s events, always on the exchange's event loop, in order:
 * {@link #onResponse} once, then {@link #onContent} until {@code last}, or {@link #onFailure} at
 * any point. Nothing follows {@link #onFailure}, the last content, or {@link
 * UpstreamExchange#abort()}.
 */
public interface UpstreamListener {
  /**
   * The status and headers arrived. The body is read only when asked ({@link
   * UpstreamExchange#read()}); a listener that does not want it calls {@link
   * UpstreamExchange#discard()} or {@link UpstreamExchange#abort()}.
   */
  void onResponse(HttpResponse response, UpstreamExchange exchange);

  /**
   * A piece of the body, owned by the listener (release it). With {@code last} the body is complete
   * and the connection is already back in the pool.
   */
  void onContent(ByteBuf content, boolean last);

  /**
   * The exchange failed: connect, timeout, a broken connection, an unreadable response.
   *
   * @param failure classified for the client's backend
   * @param responseStarted whether {@link #onResponse} was called (the body broke off)
   */
  void onFailure(StoreException failure, boolean responseStarted);
}
