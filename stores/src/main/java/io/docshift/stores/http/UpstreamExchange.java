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
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Path;
import java.util.concurrent.TimeoutException;

/**
 * One call of an {@link UpstreamClient}: a pooled or new connection, the request, the response
 * relayed part by part to its {@link UpstreamListener}. Lives on one event loop; {@link #read()},
 * {@link #discard()} and {@link #abort()} may be called from any thread (they hop to the loop).
 *
 * <p>Backpressure is read-after-write: the connection's {@code autoRead} is off and the socket is
 * read once per {@link #read()}, so a consumer that stops asking stops the upstream. Its deadlines
 * are kept by {@link ExchangeDeadlines}, its connection by {@link ExchangeConnection}. A reused
 * connection that breaks before any response byte (the server closed it while it was idle) is
 * retried once on a new connection when the call is a bodiless GET or HEAD, which are safe to
 * repeat. A request body comes from a file ({@link UpstreamClient#send(HttpMethod, String,
 * HttpHeaders, java.util.Optional, UpstreamListener)}) or streams from a publisher ({@link
 * PublishedBody}, cancelled when the call ends first). A streamed body waits for the upstream's
 * {@code 100 Continue} ({@code Expect}, as the AWS SDK sends puts): a refusal (a failed condition,
 * bad credentials) then comes before any of its bytes, so its source is not read for nothing and
 * the answer is not lost to a connection the upstream resets mid-request. The body's time on the
 * wire counts as waiting for the response headers. When the loop's connections are all in use and
 * at the cap ({@link UpstreamSettings#maxConnections()}), the call waits in line (bounded, {@link
 * LoopPool}) at most the connect timeout, then fails as a timeout; that wait counts toward the
 * response timeout too.
 */
public final class UpstreamExchange {
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
  private final PublishedBody published;
  private final UpstreamListener listener;
  private final ExchangeDeadlines deadlines;
  private final ExchangeConnection connection;
  private State state = State.CONNECTING;
  private boolean reused;
  private boolean retried;
  private boolean bodyStarted;

  UpstreamExchange(
      UpstreamClient client,
      LoopPool pool,
      HttpMethod method,
      String uri,
      HttpHeaders headers,
      Path body,
      PublishedBody published,
      UpstreamListener listener) {
    this.client = client;
    this.pool = pool;
    this.method = method;
    this.uri = uri;
    this.headers = headers;
    this.body = body;
    this.published = published;
    this.listener = listener;
    this.deadlines = new ExchangeDeadlines(client.settings(), pool.deadlines(), this::tick);
    this.connection = new ExchangeConnection(client, pool);
  }

  void start() {
    if (client.closed()) {
      fail(new ClosedChannelException());
      return;
    }
    deadlines.start();
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
      deadlines.inLine();
    } else {
      fail(noConnection("the line for one is full"));
    }
  }

  /**
   * The pool's answer to this call in line: a connection handed over from a finished call, or null
   * when a place opened up (or the client closed).
   */
  void granted(UpstreamHandler handed) {
    if (state != State.QUEUED) {
      if (handed != null) {
        handed.channel().close(); // not expected: whoever leaves the line is taken out of it
      }
      return;
    }
    deadlines.outOfLine();
    if (client.closed()) {
      if (handed != null) {
        handed.channel().close();
      }
      fail(new ClosedChannelException());
    } else if (handed != null) {
      reused = true;
      send(handed);
    } else {
      acquire();
    }
  }

  private TimeoutException noConnection(String why) {
    return pool.noConnection(client.settings().connectTimeout(), why);
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
    connection.take(target, this);
    ChannelFuture written;
    try {
      written =
          published != null
              ? UpstreamRequest.writeHead(target.channel(), method, uri, headers, published)
              : UpstreamRequest.write(target.channel(), method, uri, headers, body, client.tls());
    } catch (IOException e) {
      fail(new StoreException(client.settings().backend(), Outcome.LOCAL_ERROR, "body gone", e));
      return;
    }
    written.addListener(
        f -> {
          if (!f.isSuccess() && connection.holds(target)) {
            fail(f.cause());
          } else if (f.isSuccess() && published == null) {
            connection.requestSent();
          }
        });
    target.channel().read();
  }

  /**
   * The upstream asked for the streamed body ({@code 100 Continue}): relay it. Its failure fails
   * the call, unless the answer came meanwhile.
   */
  private void sendBody() {
    bodyStarted = true;
    UpstreamHandler target = connection.handler();
    published
        .start(target.channel())
        .addListener(
            f -> {
              if (f.isSuccess()) {
                connection.requestSent();
              } else if (connection.holds(target) && state == State.WAITING) {
                fail(requestFailure(f.cause()));
              }
            });
  }

  /** A request body's own failure is not the upstream's: local, or its source's classified one. */
  private Throwable requestFailure(Throwable cause) {
    if (cause instanceof PublishedBody.SourceFailure) {
      return new StoreException(
          client.settings().backend(), Outcome.LOCAL_ERROR, cause.getMessage(), cause);
    }
    return cause;
  }

  void onHead(HttpResponse response) {
    if (state != State.WAITING) {
      return;
    }
    if (response.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
      if (published != null
          && !bodyStarted
          && response.status().code() == HttpResponseStatus.CONTINUE.code()) {
        sendBody();
      }
      connection.channel().read();
      return; // 100 Continue and friends: the real answer follows
    }
    state = State.STREAMING;
    deadlines.headersArrived();
    connection.answered(method, response);
    listener.onResponse(response, this);
  }

  void onContent(HttpContent content) {
    boolean last = content instanceof LastHttpContent;
    if (state == State.STREAMING) {
      deadlines.bodyArrived();
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
    deadlines.bodyAsked();
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
    if (!connection.drainable()) {
      abort();
      return;
    }
    state = State.DISCARDING;
    read();
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
    deadlines.stop();
    stopBody();
    connection.close();
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
    connection.close();
    if (!started && reused && !retried && UpstreamRequest.repeatable(method, body, cause)) {
      retried = true;
      reused = false;
      connect(); // not held to the cap: it replaces the connection just closed
      return;
    }
    state = State.DONE;
    deadlines.stop();
    stopBody();
    if (!discarding) {
      listener.onFailure(
          StoreException.wrap(client.settings().backend(), method.name(), uri, cause), started);
    }
  }

  private void complete() {
    state = State.DONE;
    deadlines.stop();
    stopBody();
    connection.release();
  }

  /** A streamed request body still going when the call ends is cancelled at its source. */
  private void stopBody() {
    if (published != null) {
      published.stop();
    }
  }

  /** The timer fired: fails the call when the deadline of its phase passed. */
  private void tick() {
    if (state == State.DONE) {
      return;
    }
    TimeoutException passed;
    if (state == State.QUEUED) {
      passed = deadlines.headersDue() ? deadlines.headersTimeout() : noConnection("waited");
    } else if (state == State.CONNECTING || state == State.WAITING) {
      passed = deadlines.headersPassed();
    } else {
      passed = deadlines.bodyPassed();
    }
    if (passed != null) {
      fail(passed);
    }
  }
}
