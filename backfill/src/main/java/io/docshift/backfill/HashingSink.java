package io.docshift.backfill;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * Writes a body to a {@link SpoolBuffer} while computing its MD5 and SHA-256 (one pass over each
 * buffer). Demand stays small (a few buffers ahead), so a slow disk slows the download instead of
 * queueing the document in memory. {@link #done()} completes with the length once the spool is
 * finished; on failure the spool is left to its owner to close.
 */
final class HashingSink implements Subscriber<ByteBuffer> {
  private static final int AHEAD = 4;

  private final SpoolBuffer spool;
  private final MessageDigest md5 = digest("MD5");
  private final MessageDigest sha256 = digest("SHA-256");
  private final CompletableFuture<Long> done = new CompletableFuture<>();
  private volatile Subscription subscription;
  private long length;

  HashingSink(SpoolBuffer spool) {
    this.spool = spool;
  }

  private static MessageDigest digest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("JDK without " + algorithm, e);
    }
  }

  CompletableFuture<Long> done() {
    return done;
  }

  /** Stops the download (timeout or shutdown); {@link #done()} fails. */
  void cancel(Throwable why) {
    Subscription s = subscription;
    if (s != null) {
      s.cancel();
    }
    fail(why);
  }

  String md5Hex() {
    return HexFormat.of().formatHex(md5.digest());
  }

  String sha256Hex() {
    return HexFormat.of().formatHex(sha256.digest());
  }

  @Override
  public void onSubscribe(Subscription s) {
    subscription = s;
    s.request(AHEAD);
  }

  @Override
  public void onNext(ByteBuffer buffer) {
    if (done.isDone()) {
      return;
    }
    try {
      md5.update(buffer.duplicate());
      sha256.update(buffer.duplicate());
      length += buffer.remaining();
      spool.write(buffer);
    } catch (IOException e) {
      cancel(e);
      return;
    }
    subscription.request(1);
  }

  @Override
  public void onError(Throwable t) {
    fail(t);
  }

  @Override
  public void onComplete() {
    if (done.isDone()) {
      return;
    }
    try {
      spool.finish();
      done.complete(length);
    } catch (IOException e) {
      done.completeExceptionally(e);
    }
  }

  private void fail(Throwable t) {
    done.completeExceptionally(t);
  }
}
