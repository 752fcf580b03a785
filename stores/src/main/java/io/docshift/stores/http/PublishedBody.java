package io.docshift.stores.http;

import static java.util.Objects.requireNonNull;

import io.docshift.core.store.DocumentResponse;
import io.docshift.core.store.StoreException;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.ByteBuffer;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * A request body of known length relayed from a {@code Publisher<ByteBuffer>} (a download, a
 * hashing relay) onto the upstream connection as it arrives, never collected first.
 *
 * <p>Backpressure: one piece is asked for at a time, and the next only while the connection is
 * writable; when it is not, the next is asked for once the last write reached the socket. So a slow
 * upstream slows the source (a download then stops reading its own socket) and at most the
 * channel's write buffer plus one piece is held. Every signal is handled on the connection's event
 * loop. The pieces are the subscriber's to own (plain heap buffers): they are wrapped, not copied,
 * and Netty releases the wrappers once written.
 *
 * <p>A body that ends short of, or runs past, its length fails the request as a local error (the
 * connection is then closed mid-request, so the upstream stores nothing); so does a source that
 * fails, with its own {@link StoreException} when it has one (a download's classified failure). A
 * relay stopped by its exchange (an answer before the body ended, a timeout, an abort) cancels the
 * source.
 */
public final class PublishedBody {
  private final Publisher<ByteBuffer> source;
  private final long length;
  private Relay relay;

  /**
   * @param source subscribed to once, when the request is sent
   * @param length the exact number of bytes it delivers ({@code Content-Length})
   */
  public PublishedBody(Publisher<ByteBuffer> source, long length) {
    this.source = requireNonNull(source, "source");
    if (length < 0) {
      throw new IllegalArgumentException("length: " + length + " (expected: >= 0)");
    }
    this.length = length;
  }

  long length() {
    return length;
  }

  /**
   * Starts relaying after the request head written to {@code channel}.
   *
   * @return completes when the whole body is written, fails when it cannot be
   */
  ChannelFuture start(Channel channel) {
    relay = new Relay(channel);
    source.subscribe(relay);
    return relay.done;
  }

  /**
   * Stops the relay when it has not ended (on the connection's loop): the source is cancelled, or,
   * when the request never went out (no connection), subscribed to and cancelled at once so its own
   * connection is released.
   */
  void stop() {
    if (relay != null) {
      relay.stop();
    } else {
      relay = new Relay(null);
      DocumentResponse.discard(source);
    }
  }

  /**
   * The body's source failed or missed its length: the caller's fault ({@code LOCAL_ERROR}), not
   * the upstream's.
   */
  static final class SourceFailure extends Exception {
    private static final long serialVersionUID = 1L;

    SourceFailure(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Relays the source's pieces to one connection; its state lives on the connection's loop. */
  private final class Relay implements Subscriber<ByteBuffer> {
    private final Channel channel;
    private final ChannelPromise done;
    private Subscription subscription;
    private long sent;
    private boolean ended;

    Relay(Channel channel) {
      this.channel = channel;
      this.done = channel == null ? null : channel.newPromise();
      this.ended = channel == null;
    }

    @Override
    public void onSubscribe(Subscription s) {
      channel.eventLoop().execute(() -> subscribed(s));
    }

    private void subscribed(Subscription s) {
      if (ended) {
        s.cancel();
        return;
      }
      subscription = s;
      s.request(1);
    }

    @Override
    public void onNext(ByteBuffer piece) {
      channel.eventLoop().execute(() -> write(piece));
    }

    private void write(ByteBuffer piece) {
      if (ended) {
        return;
      }
      sent += piece.remaining();
      if (sent > length) {
        fail(new SourceFailure("the body ran past its length of " + length + " bytes", null));
        return;
      }
      ChannelFuture written =
          channel.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(piece)));
      if (channel.isWritable()) {
        subscription.request(1);
      } else {
        // The socket is behind: ask for more only once everything written so far went out.
        written.addListener(
            f -> {
              if (f.isSuccess() && !ended) {
                subscription.request(1);
              }
            });
      }
    }

    @Override
    public void onError(Throwable t) {
      // A store's classified failure (a download cut) stays the store's; anything else is local.
      Throwable failure =
          t instanceof StoreException ? t : new SourceFailure("the body failed: " + t, t);
      channel.eventLoop().execute(() -> fail(failure));
    }

    @Override
    public void onComplete() {
      channel.eventLoop().execute(this::completed);
    }

    private void completed() {
      if (ended) {
        return;
      }
      if (sent != length) {
        fail(new SourceFailure("the body ended after " + sent + " of " + length + " bytes", null));
        return;
      }
      ended = true;
      channel
          .writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT)
          .addListener(
              f -> {
                if (f.isSuccess()) {
                  done.trySuccess();
                } else {
                  done.tryFailure(f.cause());
                }
              });
    }

    private void fail(Throwable cause) {
      if (!ended) {
        ended = true;
        cancel();
        done.tryFailure(cause);
      }
    }

    void stop() {
      if (!ended) {
        ended = true;
        cancel();
      }
    }

    private void cancel() {
      if (subscription != null) {
        subscription.cancel();
      }
    }
  }
}
