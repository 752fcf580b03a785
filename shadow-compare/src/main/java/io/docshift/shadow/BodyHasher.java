package io.docshift.shadow;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.zip.CRC32C;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * Consumes a store's body, checksumming it as it streams (always CRC-32C; MD5 and SHA-256 when
 * asked) and optionally writing it to a channel; no buffer outlives its {@code onNext}. Demand
 * stays a few buffers ahead, so the store is read only as fast as hashing (and the disk) go. {@link
 * #done()} completes with the {@link Digests} at the end of the body, or fails with the body's
 * error or the reason given to {@link #cancel}. The channel stays the caller's to close.
 */
final class BodyHasher implements Subscriber<ByteBuffer> {
  private static final int AHEAD = 4;

  private final CRC32C crc = new CRC32C();
  private final MessageDigest md5;
  private final MessageDigest sha256;
  private final WritableByteChannel sink;
  private final CompletableFuture<Digests> done = new CompletableFuture<>();
  private Subscription subscription;
  private boolean cancelled;
  private long length;

  private BodyHasher(boolean withMd5, boolean withSha256, WritableByteChannel sink) {
    this.md5 = withMd5 ? digest("MD5") : null;
    this.sha256 = withSha256 ? digest("SHA-256") : null;
    this.sink = sink;
  }

  /** CRC-32C only: what a first comparison needs (hardware-accelerated, several GB/s). */
  static BodyHasher checksum() {
    return new BodyHasher(false, false, null);
  }

  /** CRC-32C and MD5: for a comparison whose result is kept as evidence. */
  static BodyHasher withMd5() {
    return new BodyHasher(true, false, null);
  }

  /** Every checksum, every byte written to {@code sink}: what a re-copy to S3 needs. */
  static BodyHasher spooling(WritableByteChannel sink) {
    return new BodyHasher(true, true, sink);
  }

  static MessageDigest digest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("JDK without " + algorithm, e);
    }
  }

  static String hex(CRC32C crc) {
    return String.format("%08x", crc.getValue());
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
    crc.update(buffer.duplicate());
    if (md5 != null) {
      md5.update(buffer.duplicate());
    }
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
            hex(crc),
            md5 == null ? null : hex.formatHex(md5.digest()),
            sha256 == null ? null : hex.formatHex(sha256.digest())));
  }
}
