package io.docshift.stores.http;

import static java.util.Objects.requireNonNull;

import io.docshift.core.outcome.Backend;
import io.docshift.core.store.StoreException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * An {@link UpstreamExchange}'s body as the single-subscriber {@code Publisher<ByteBuffer>} the
 * {@code DocumentStore} contract asks for: the socket is read only while the subscriber has demand
 * (one {@link UpstreamExchange#read()} per empty queue), each piece is copied once into a plain
 * heap buffer the subscriber owns (the pooled Netty buffer is released at once), and errors are the
 * exchange's classified {@link StoreException}s.
 *
 * <p>Every signal runs on the exchange's event loop; {@code request} and {@code cancel} from other
 * threads hop there. Signals are serialised by a drain loop, so a subscriber that requests from
 * {@code onNext} does not recurse.
 */
public final class UpstreamBody implements Publisher<ByteBuffer>, Subscription {
  private final UpstreamExchange exchange;
  private final EventLoop loop;
  private final Backend backend;
  private final Object what;
  private final ArrayDeque<ByteBuffer> queue = new ArrayDeque<>(4);
  private Subscriber<? super ByteBuffer> subscriber;
  private long demand;
  private boolean complete;
  private StoreException error;
  private boolean finished;
  private boolean draining;
  private boolean missed;

  /**
   * @param what names the document in messages
   */
  public UpstreamBody(UpstreamExchange exchange, Backend backend, Object what) {
    this.exchange = requireNonNull(exchange, "exchange");
    this.loop = exchange.loop();
    this.backend = requireNonNull(backend, "backend");
    this.what = requireNonNull(what, "what");
  }

  @Override
  public void subscribe(Subscriber<? super ByteBuffer> s) {
    requireNonNull(s, "subscriber");
    if (loop.inEventLoop()) {
      subscribed(s);
    } else {
      loop.execute(() -> subscribed(s));
    }
  }

  private void subscribed(Subscriber<? super ByteBuffer> s) {
    if (subscriber != null) {
      s.onSubscribe(NoSubscription.INSTANCE);
      s.onError(new IllegalStateException("the body has already been subscribed to"));
      return;
    }
    subscriber = s;
    s.onSubscribe(this);
    drain();
  }

  /** The next piece from the exchange (released here); {@code last} ends the body. */
  public void offer(ByteBuf content, boolean last) {
    try {
      int length = content.readableBytes();
      if (length > 0 && !finished) {
        ByteBuffer copy = ByteBuffer.allocate(length);
        content.getBytes(content.readerIndex(), copy);
        queue.add(copy.flip());
      }
    } finally {
      content.release();
    }
    complete |= last;
    drain();
  }

  /** The exchange failed mid-body. */
  public void fail(StoreException failure) {
    error = failure;
    drain();
  }

  @Override
  public void request(long n) {
    if (!loop.inEventLoop()) {
      loop.execute(() -> request(n));
      return;
    }
    if (n <= 0) {
      // Reactive Streams rule 3.9.
      error =
          StoreException.wrap(
              backend,
              "get body",
              what,
              new IllegalArgumentException("request(" + n + "): demand must be positive"));
      exchange.abort();
    } else {
      demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
    }
    drain();
  }

  @Override
  public void cancel() {
    if (!loop.inEventLoop()) {
      loop.execute(this::cancel);
      return;
    }
    if (!finished) {
      finished = true;
      queue.clear();
      exchange.abort();
    }
  }

  private void drain() {
    if (draining) {
      missed = true;
      return;
    }
    draining = true;
    try {
      do {
        missed = false;
        emit();
      } while (missed);
    } finally {
      draining = false;
    }
  }

  private void emit() {
    if (subscriber == null || finished) {
      return;
    }
    if (error != null) {
      finished = true;
      queue.clear();
      subscriber.onError(error);
      return;
    }
    while (demand > 0 && !queue.isEmpty() && !finished) {
      demand--;
      subscriber.onNext(queue.poll());
    }
    if (finished) {
      return;
    }
    if (queue.isEmpty() && complete) {
      finished = true;
      subscriber.onComplete();
    } else if (queue.isEmpty() && demand > 0) {
      exchange.read();
    }
  }

  /** Stands in for a subscription that was refused. */
  private enum NoSubscription implements Subscription {
    INSTANCE;

    @Override
    public void request(long n) {}

    @Override
    public void cancel() {}
  }
}
