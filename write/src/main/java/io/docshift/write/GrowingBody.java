package io.docshift.write;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A request body of known length published from a spool file while the proxy still writes it: the
 * bytes the spool holds go on as the subscriber asks for them, the rest as they are {@link #grown}.
 * The body's last byte is held back until it is {@link #released}, so the upstream cannot have the
 * whole body before DocShift decided it may (the request is whole only then); a body {@link #cut}
 * instead fails its subscriber, which aborts the upstream request short of its length (an HTTP/1.1
 * server then stores nothing).
 *
 * <p>Threads: {@link #grown}, {@link #released} and {@link #cut} come from the spooling event loop,
 * demand from the HTTP client's threads. The event loop only notes the news and, when a whole piece
 * ({@value #PIECE} bytes) or the body's end is ready, hands the drain to {@code executor}, so
 * neither the spool's reads nor the upstream's socket writes run on it. One drain runs at a time,
 * reading the spool with positional reads into fresh heap buffers the subscriber owns; pieces are
 * whole but for the body's last, so the client's small reads do not become small upstream writes.
 * At most the subscriber's demand is read ahead, so memory stays flat whatever the length.
 */
final class GrowingBody implements Flow.Publisher<ByteBuffer> {
  static final int PIECE = 64 * 1024;

  private final Path file;
  private final long length;
  private final Executor executor;
  private final AtomicInteger wip = new AtomicInteger();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private volatile long written;
  private volatile long sent;
  private volatile boolean released;
  private volatile Throwable cutBy;
  private volatile boolean cancelled;
  private Flow.Subscriber<? super ByteBuffer> subscriber;
  private FileChannel channel;
  private long demand;
  private boolean ended;

  GrowingBody(Path file, long length, Executor executor) {
    this.file = file;
    this.length = length;
    this.executor = executor;
  }

  long length() {
    return length;
  }

  /** The spool now holds {@code bytes} of the body. */
  void grown(long bytes) {
    written = bytes;
    if (bytes - sent >= PIECE || bytes >= length - 1) {
      schedule();
    }
  }

  /** The last bytes may go: the body is whole once the spool holds all of it. */
  void released() {
    released = true;
    schedule();
  }

  /** Ends the body short of its length with {@code why}: the upstream request fails. */
  void cut(Throwable why) {
    if (cutBy == null) {
      cutBy = why;
    }
    schedule();
  }

  private void schedule() {
    if (scheduled.compareAndSet(false, true)) {
      executor.execute(
          () -> {
            scheduled.set(false);
            signal();
          });
    }
  }

  @Override
  public void subscribe(Flow.Subscriber<? super ByteBuffer> s) {
    synchronized (this) {
      if (subscriber != null) {
        s.onSubscribe(new Subscription());
        s.onError(new IllegalStateException("a growing spool is published once"));
        return;
      }
      subscriber = s;
    }
    s.onSubscribe(new Subscription());
    signal();
  }

  private final class Subscription implements Flow.Subscription {
    @Override
    public void request(long n) {
      if (n <= 0) {
        cut(new IllegalArgumentException("demand must be positive: " + n));
        return;
      }
      synchronized (GrowingBody.this) {
        demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
      }
      signal();
    }

    @Override
    public void cancel() {
      cancelled = true;
      signal();
    }
  }

  private void signal() {
    if (wip.getAndIncrement() != 0) {
      return;
    }
    int missed = 1;
    do {
      drain();
      missed = wip.addAndGet(-missed);
    } while (missed != 0);
  }

  /** Sends what the spool holds and the demand allows; ends the body when it may. */
  private void drain() {
    Flow.Subscriber<? super ByteBuffer> s;
    synchronized (this) {
      s = subscriber;
    }
    if (s == null || ended) {
      return;
    }
    if (cancelled) {
      end();
      return;
    }
    if (cutBy != null) {
      end();
      s.onError(cutBy);
      return;
    }
    try {
      sendReady(s);
    } catch (IOException e) {
      end();
      s.onError(e);
      return;
    }
    if (sent == length && released) {
      end();
      s.onComplete();
    }
  }

  private void sendReady(Flow.Subscriber<? super ByteBuffer> s) throws IOException {
    long limit = released ? length : length - 1;
    long allowed = Math.min(written, limit);
    while (sent < allowed && (allowed - sent >= PIECE || allowed == limit) && takeDemand()) {
      ByteBuffer piece = ByteBuffer.allocate((int) Math.min(PIECE, allowed - sent));
      if (channel == null) {
        channel = FileChannel.open(file, StandardOpenOption.READ);
      }
      while (piece.hasRemaining()) {
        if (channel.read(piece, sent + piece.position()) < 0) {
          throw new IOException("spool file shorter than the bytes written to it");
        }
      }
      sent += piece.flip().remaining();
      s.onNext(piece);
    }
  }

  private synchronized boolean takeDemand() {
    if (demand == 0 || cancelled || cutBy != null) {
      return false;
    }
    if (demand != Long.MAX_VALUE) {
      demand--;
    }
    return true;
  }

  private void end() {
    ended = true;
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // Read-only: nothing is lost; the call directory goes with the call.
      }
    }
  }
}
