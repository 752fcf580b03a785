package io.docshift.write;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * Spools a store's body to a file one buffer at a time (demand 1, so a slow disk slows the read),
 * for the read-back of what Cloudinary stored when the client's bytes are not at hand (remote URL
 * uploads, incoming transformations, chunks that went to another proxy).
 */
final class Downloads {
  private Downloads() {}

  /** Completes with the byte count once {@code body} is on disk in {@code target}. */
  static CompletableFuture<Long> toFile(Publisher<ByteBuffer> body, Path target) {
    CompletableFuture<Long> done = new CompletableFuture<>();
    body.subscribe(new FileSink(target, done));
    return done;
  }

  private static final class FileSink implements Subscriber<ByteBuffer> {
    private final Path target;
    private final CompletableFuture<Long> done;
    private FileChannel channel;
    private Subscription subscription;
    private long written;

    FileSink(Path target, CompletableFuture<Long> done) {
      this.target = target;
      this.done = done;
    }

    @Override
    public void onSubscribe(Subscription s) {
      subscription = s;
      try {
        channel = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      } catch (IOException e) {
        s.cancel();
        done.completeExceptionally(e);
        return;
      }
      s.request(1);
    }

    @Override
    public void onNext(ByteBuffer item) {
      try {
        while (item.hasRemaining()) {
          written += channel.write(item);
        }
        subscription.request(1);
      } catch (IOException e) {
        subscription.cancel();
        close();
        done.completeExceptionally(e);
      }
    }

    @Override
    public void onError(Throwable t) {
      close();
      done.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      close();
      done.complete(written);
    }

    private void close() {
      try {
        if (channel != null) {
          channel.close();
        }
      } catch (IOException ignored) {
        // Nothing more to write; the outcome is already decided.
      }
    }
  }
}
