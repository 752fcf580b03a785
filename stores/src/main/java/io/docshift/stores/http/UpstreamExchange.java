package io.docshift.stores.http;

import io.docshift.core.outcome.Outcome;
import io.docshift.core.store.StoreException;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Path;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One call of an {@link UpstreamClient}: a pooled or new connection, the request, the response
 * relayed part by part to its {@link UpstreamListener}. Lives on one event loop; {@link #read()},
 * {@link #discard()} and {@link #abort()} may be called from any thread (they hop to the loop).
 *
 * <p>Backpressure is read-after-write: the connection's {@code autoRead} is off and the socket is
 * read once per {@link #read()}, so a consumer that stops asking stops the upstream. Timeouts use
 * one timer per call: no response headers within the response timeout (connect included), or a body
 * the consumer asked for that stays silent that long, fails the call as a timeout; so does a call
 * whose waits on the upstream (headers plus every body read asked for) add up to the total wait, a
 * store that trickles bytes just often enough to never be silent. A reused connection that breaks
 * before any response byte (the server closed it while it was idle) is retried once on a new
 * connection when the call is a bodiless GET or HEAD, which are safe to repeat. A request body
 * comes from a file ({@link UpstreamClient#send(HttpMethod, String, HttpHeaders,
 * java.util.Optional, UpstreamListener)}); its time on the wire counts as waiting for the response
 * headers. When the loop's connections are all in use and at the cap ({@link
 * UpstreamSettings#maxConnections()}), the call waits in line (bounded, {@link LoopPool}) at most
 * the connect timeout, then fails as a timeout; that wait counts toward the response timeout too.
 */
public final class UpstreamExchange {
  private static final long MAX_DRAIN_BYTES = 64 * 1024;

  private enum State {
    QUEUED,
    CONNECTING,
    WAITING,
    STREAMING,
    DISCARDING,
    DONE
  }

  private final UpstreamClient client;
  private final LoopPool pool;
  private final HttpMethod method;
  private final String uri;
  private final HttpHeaders headers;
  private final Path body;
  private final UpstreamListener listener;
  private final long startedAt = System.nanoTime();
  private State state = State.CONNECTING;
  private UpstreamHandler connection;
  private boolean reused;
  private boolean retried;
  private boolean keepAlive;
  private boolean drainable;
  private boolean requestSent;
  private long waitingSince = -1;
  private long waited;
  private ScheduledFuture<?> timer;

  UpstreamExchange(
      UpstreamClient client,
      LoopPool pool,
      HttpMethod method,
      String uri,
      HttpHeaders headers,
      Path body,
      UpstreamListener listener) {
    this.client = client;
    this.pool = pool;
    this.method = method;
    this.uri = uri;
    this.headers = headers;
    this.body = body;
    this.listener = listener;
  }

  void start() {
    if (client.closed()) {
      fail(new ClosedChannelException());
      return;
    }
    arm(client.settings().responseTimeout().toNanos());
    acquire();
  }

  /** An idle pooled connection, else a new one within the loop's cap, else a place in line. */
  private void acquire() {
    UpstreamHandler idle = pool.poll();
    if (idle != null) {
      reused = true;
      send(idle);
    } else if (pool.mayConnect()) {
      connect();
    } else if (pool.await(this)) {
      state = State.QUEUED;
      disarm();
      arm(Math.min(client.settings().connectTimeout().toNanos(), headersLeft(System.nanoTime())));
    } else {
      fail(noConnection("the line for one is full"));
    }
  }

  /**
   * The pool's answer to this call in line: a connection handed over from a finished call, or null
   * when a place opened up (or the client closed).
   */
  void granted(UpstreamHandler connection) {
    if (state != State.QUEUED) {
      if (connection != null) {
        connection.channel().close(); // not expected: whoever leaves the line is taken out of it
      }
      return;
    }
    disarm();
    arm(Math.max(1, headersLeft(System.nanoTime())));
    if (client.closed()) {
      if (connection != null) {
        connection.channel().close();
      }
      fail(new ClosedChannelException());
    } else if (connection != null) {
      reused = true;
      send(connection);
    } else {
      acquire();
    }
  }

  private long headersLeft(long now) {
    return client.settings().responseTimeout().toNanos() - (now - startedAt);
  }

  /**
   * Waiting for a connection is answered as a timeout, so a caller falls back as for a slow one.
   */
  private TimeoutException noConnection(String why) {
    return new TimeoutException(
        "no connection free within "
            + client.settings().connectTimeout().toMillis()
            + " ms ("
            + pool.openCount()
            + " open on this loop, "
            + why
            + ")");
  }

  private void connect() {
    state = State.CONNECTING;
    client
        .connect(pool)
        .addListener(
            (ChannelFuture f) -> {
              if (!f.isSuccess()) {
                fail(f.cause());
              } else if (state != State.CONNECTING) {
                f.channel().close();
              } else {
                send(f.channel().pipeline().get(UpstreamHandler.class));
              }
            });
  }

  private void send(UpstreamHandler target) {
    state = State.WAITING;
    connection = target;
    target.attach(this);
    ChannelFuture written;
    try {
      written = UpstreamRequest.write(target.channel(), method, uri, headers, body, client.tls());
    } catch (IOException e) {
      fail(new StoreException(client.settings().backend(), Outcome.LOCAL_ERROR, "body gone", e));
      return;
    }
    written.addListener(
        f -> {
          if (f.isSuccess()) {
            requestSent = true;
          } else if (connection == target) {
            fail(f.cause());
          }
        });
    target.channel().read();
  }

  void onHead(HttpResponse response) {
    if (state != State.WAITING) {
      return;
    }
    if (response.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
      connection.channel().read();
      return; // 100 Continue and friends: the real answer follows
    }
    state = State.STREAMING;
    waited = System.nanoTime() - startedAt;
    disarm();
    arm(streamingDelay(System.nanoTime()));
    keepAlive = HttpUtil.isKeepAlive(response);
    long length = HttpUtil.getContentLength(response, -1L);
    drainable = bodiless(response) || (length >= 0 && length <= MAX_DRAIN_BYTES);
    listener.onResponse(response, this);
  }

  void onContent(HttpContent content) {
    boolean last = content instanceof LastHttpContent;
    if (state == State.STREAMING) {
      if (waitingSince >= 0) {
        waited += System.nanoTime() - waitingSince;
      }
      waitingSince = -1;
      if (last) {
        complete();
      }
      listener.onContent(content.content(), last);
    } else {
      ReferenceCountUtil.release(content);
      if (last && state == State.DISCARDING) {
        complete();
      }
    }
  }

  /** The event loop this call runs on. */
  public EventLoop loop() {
    return pool.loop();
  }

  /** Reads the socket once more (the next part of the body follows as {@code onContent}). */
  public void read() {
    if (!pool.loop().inEventLoop()) {
      pool.loop().execute(this::read);
      return;
    }
    if (state != State.STREAMING && state != State.DISCARDING) {
      return;
    }
    if (waitingSince < 0) {
      waitingSince = System.nanoTime();
    }
    connection.channel().read();
  }

  /**
   * Drops the rest of the body: a short one is read and thrown away so the connection can be
   * reused, a long or unknown one closes the connection.
   */
  public void discard() {
    if (!pool.loop().inEventLoop()) {
      pool.loop().execute(this::discard);
      return;
    }
    if (state != State.STREAMING) {
      return;
    }
    if (!drainable) {
      abort();
      return;
    }
    state = State.DISCARDING;
    read();
  }

  /** HEAD, 204 and 304 answers carry no body whatever their headers say. */
  private boolean bodiless(HttpResponse response) {
    int status = response.status().code();
    return method.equals(HttpMethod.HEAD)
        || status == HttpResponseStatus.NO_CONTENT.code()
        || status == HttpResponseStatus.NOT_MODIFIED.code();
  }

  /** Drops the call: the connection is closed, the listener hears nothing more. */
  public void abort() {
    if (!pool.loop().inEventLoop()) {
      pool.loop().execute(this::abort);
      return;
    }
    if (state == State.DONE) {
      return;
    }
    if (state == State.QUEUED) {
      pool.leave(this);
    }
    state = State.DONE;
    disarm();
    close();
  }

  /** Fails the call (or retries it once, see the class comment). */
  void fail(Throwable cause) {
    if (state == State.DONE) {
      return;
    }
    if (state == State.QUEUED) {
      pool.leave(this);
    }
    boolean started = state == State.STREAMING || state == State.DISCARDING;
    boolean discarding = state == State.DISCARDING;
    close();
    if (!started && reused && !retried && repeatable() && isBrokenConnection(cause)) {
      retried = true;
      reused = false;
      connect(); // not held to the cap: it replaces the connection just closed
      return;
    }
    state = State.DONE;
    disarm();
    if (!discarding) {
      listener.onFailure(
          StoreException.wrap(client.settings().backend(), method.name(), uri, cause), started);
    }
  }

  /** Only a bodiless GET or HEAD is safe to send twice (and a file body may be half gone). */
  private boolean repeatable() {
    return body == null && (method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD));
  }

  private static boolean isBrokenConnection(Throwable cause) {
    return cause instanceof IOException && !(cause instanceof java.net.ConnectException);
  }

  private void complete() {
    state = State.DONE;
    disarm();
    UpstreamHandler done = connection;
    connection = null;
    done.detach();
    // An answer that came before the whole request body went out leaves the connection mid-request.
    if (keepAlive && requestSent && !client.closed() && done.channel().isActive()) {
      pool.release(done);
    } else {
      done.channel().close();
    }
  }

  private void close() {
    UpstreamHandler current = connection;
    connection = null;
    if (current != null) {
      current.detach();
      current.channel().close();
    }
  }

  private void arm(long delayNanos) {
    timer = pool.loop().schedule(this::tick, delayNanos, TimeUnit.NANOSECONDS);
  }

  private void disarm() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  /** The call's only timer: checks whichever deadline applies now, and re-arms for the next. */
  private void tick() {
    timer = null;
    if (state == State.DONE) {
      return;
    }
    long now = System.nanoTime();
    long limit = client.settings().responseTimeout().toNanos();
    if (state == State.QUEUED) {
      fail(headersLeft(now) <= 0 ? timeout("no response headers within ") : noConnection("waited"));
    } else if (state == State.CONNECTING || state == State.WAITING) {
      if (now - startedAt >= limit) {
        fail(timeout("no response headers within "));
      } else {
        arm(limit - (now - startedAt));
      }
    } else if (waitingSince >= 0 && now - waitingSince >= limit) {
      fail(timeout("no body bytes for "));
    } else if (waitedBy(now) >= client.settings().totalWait().toNanos()) {
      fail(
          new TimeoutException(
              "upstream not done within a total wait of "
                  + client.settings().totalWait().toMillis()
                  + " ms"));
    } else {
      arm(streamingDelay(now));
    }
  }

  /** Time spent waiting on the upstream so far, the current wait included. */
  private long waitedBy(long now) {
    return waited + (waitingSince >= 0 ? now - waitingSince : 0);
  }

  /** Until the next deadline of a streaming call: silence or total wait, whichever is first. */
  private long streamingDelay(long now) {
    long limit = client.settings().responseTimeout().toNanos();
    long silence = waitingSince >= 0 ? limit - (now - waitingSince) : limit;
    long total = client.settings().totalWait().toNanos() - waitedBy(now);
    return Math.max(1, Math.min(silence, total));
  }

  private TimeoutException timeout(String what) {
    return new TimeoutException(what + client.settings().responseTimeout().toMillis() + " ms");
  }
}
