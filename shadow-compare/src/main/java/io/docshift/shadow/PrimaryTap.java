package io.docshift.shadow;

import io.docshift.core.digest.Digester;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * The primary's body with a checksum on the side: every buffer is added to a CRC-32C (through a
 * {@link ByteBuffer#duplicate() duplicate}, so its position is untouched) just before it is handed
 * on to the client's subscriber, which then owns it as before. Demand, cancellation and errors pass
 * through unchanged, so the client's stream keeps its backpressure and timing; the only added work
 * is the checksum update (hardware-accelerated, several GB/s) on the thread that delivers each
 * buffer.
 *
 * <p>The listener hears exactly once: {@link Listener#completed} after the subscriber was told the
 * body is complete (so a shadow read starts only once the client's response is under way), or
 * {@link Listener#incomplete} when the body failed or was cancelled (client gone).
 */
final class PrimaryTap implements Publisher<ByteBuffer> {
  /** Told how the primary body ended. Must not block: it runs on the body's thread. */
  interface Listener {
    void completed(long bytes, String crc32c);

    void incomplete();
  }

  private final Publisher<ByteBuffer> body;
  private final Listener listener;

  PrimaryTap(Publisher<ByteBuffer> body, Listener listener) {
    this.body = body;
    this.listener = listener;
  }

  @Override
  public void subscribe(Subscriber<? super ByteBuffer> subscriber) {
    body.subscribe(new Tap(subscriber));
  }

  private final class Tap implements Subscriber<ByteBuffer>, Subscription {
    private final Subscriber<? super ByteBuffer> downstream;
    private final Digester crc = Digester.of(Digester.Algorithm.CRC32C);
    private final AtomicBoolean reported = new AtomicBoolean();
    private volatile Subscription upstream;

    Tap(Subscriber<? super ByteBuffer> downstream) {
      this.downstream = downstream;
    }

    @Override
    public void onSubscribe(Subscription s) {
      upstream = s;
      downstream.onSubscribe(this);
    }

    @Override
    public void request(long n) {
      upstream.request(n);
    }

    @Override
    public void cancel() {
      incomplete();
      upstream.cancel();
    }

    @Override
    public void onNext(ByteBuffer buffer) {
      crc.update(buffer);
      downstream.onNext(buffer);
    }

    @Override
    public void onError(Throwable t) {
      incomplete();
      downstream.onError(t);
    }

    @Override
    public void onComplete() {
      downstream.onComplete();
      if (reported.compareAndSet(false, true)) {
        listener.completed(crc.length(), crc.finish().crc32c());
      }
    }

    private void incomplete() {
      if (reported.compareAndSet(false, true)) {
        listener.incomplete();
      }
    }
  }
}
