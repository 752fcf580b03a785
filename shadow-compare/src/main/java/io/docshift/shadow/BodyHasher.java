package io.docshift.shadow;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * Consumes a store's body, hashing it as it streams (MD5, plus SHA-256 when asked) and optionally
 * writing it to a channel; no buffer outlives its {@code onNext}. Demand stays a few buffers ahead,
 * so the store is read only as fast as hashing (and the disk) go. {@link #done()} completes with
 * the {@link Digests} at the end of the body, or fails with the body's error or the reason given to
 * {@link #cancel}. The channel stays the caller's to close.
 */
final class BodyHasher implements Subscriber<ByteBuffer> {
  private static final int AHEAD = 4;

  private final MessageDigest md5 = digest("MD5");
  private final MessageDigest sha256;
  private final WritableByteChannel sink;
  private final CompletableFuture<Digests> done = new CompletableFuture<>();
  private Subscription subscription;
  private boolean cancelled;
  private long length;

  private BodyHasher(boolean withSha256, WritableByteChannel sink) {
    this.sha256 = withSha256 ? digest("SHA-256") : null;
    this.sink = sink;
  }

  /** MD5 only, nothing written: what a comparison needs. */
  static BodyHasher md5() {
    return new BodyHasher(false, null);
  }

  /** MD5 and SHA-256, every byte written to {@code sink}: what a re-copy to S3 needs. */
  static BodyHasher spooling(WritableByteChannel sink) {
    return new BodyHasher(true, sink);
  }

  static MessageDigest digest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("JDK without " + algorithm, e);
    }
  }

  CompletableFuture<Digests> done() {
    return done;
  }

  /** Stops reading (timeout, shutdown) and fails {@link #done()}; safe before subscription. */
  void cancel(Throwable why) {
    Subscription s;
    synchronized (this) {
      cancelled = true;
      s = subscription;
    }
    if (s != null) {
      s.cancel();
    }
    done.completeExceptionally(why);
  }

  @Override
  public void onSubscribe(Subscription s) {
    synchronized (this) {
      if (subscription != null || cancelled) {
        s.cancel();
        return;
      }
      subscription = s;
    }
    s.request(AHEAD);
  }

  @Override
  public void onNext(ByteBuffer buffer) {
    if (done.isDone()) {
      return;
    }
    md5.update(buffer.duplicate());
    if (sha256 != null) {
      sha256.update(buffer.duplicate());
    }
    length += buffer.remaining();
    if (sink != null && !write(buffer)) {
      return;
    }
    subscription.request(1);
  }

  private boolean write(ByteBuffer buffer) {
    try {
      while (buffer.hasRemaining()) {
        sink.write(buffer);
      }
      return true;
    } catch (IOException e) {
      cancel(e);
      return false;
    }
  }

  @Override
  public void onError(Throwable t) {
    done.completeExceptionally(t);
  }

  @Override
  public void onComplete() {
    HexFormat hex = HexFormat.of();
    done.complete(
        new Digests(
            length,
            hex.formatHex(md5.digest()),
            sha256 == null ? null : hex.formatHex(sha256.digest())));
  }
}
