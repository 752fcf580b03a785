package io.docshift.write;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A body published from a spool file while it is written: only bytes written go, in whole pieces
 * but for the last, the last byte not before the body is released, and a cut fails the subscriber.
 * Drains run inline here (a direct executor), so each step's effect is seen at once.
 */
class GrowingBodyTest {
  private static final int LENGTH = 3 * GrowingBody.PIECE + 100;

  @TempDir Path dir;

  @Test
  void onlyWrittenBytesGoAndTheLastWaitsForTheRelease() throws IOException {
    byte[] bytes = random(LENGTH);
    Path file = dir.resolve("body");
    GrowingBody body = new GrowingBody(file, LENGTH, Runnable::run);
    Collector out = new Collector();
    Files.write(file, new byte[0]);
    body.subscribe(out);
    append(file, bytes, 0, GrowingBody.PIECE - 1);
    body.grown(GrowingBody.PIECE - 1);
    assertThat(out.bytes.size()).as("less than a piece: held").isZero();
    append(file, bytes, GrowingBody.PIECE - 1, LENGTH);
    body.grown(LENGTH);
    assertThat(out.bytes.size()).as("all but the last byte").isEqualTo(LENGTH - 1);
    assertThat(out.completed).isFalse();
    body.released();
    assertThat(out.bytes.toByteArray()).isEqualTo(bytes);
    assertThat(out.completed).isTrue();
    assertThat(out.failure).isNull();
  }

  @Test
  void aCutBodyFailsItsSubscriberShortOfItsLength() throws IOException {
    byte[] bytes = random(LENGTH);
    Path file = dir.resolve("body");
    Files.write(file, bytes);
    GrowingBody body = new GrowingBody(file, LENGTH, Runnable::run);
    Collector out = new Collector();
    body.subscribe(out);
    body.grown(2 * GrowingBody.PIECE);
    RuntimeException why = new IllegalStateException("client gone");
    body.cut(why);
    body.grown(LENGTH);
    body.released();
    assertThat(out.bytes.size()).isEqualTo(2 * GrowingBody.PIECE);
    assertThat(out.failure).isSameAs(why);
    assertThat(out.completed).isFalse();
  }

  private static void append(Path file, byte[] bytes, int from, int to) throws IOException {
    Files.write(file, java.util.Arrays.copyOfRange(bytes, from, to), StandardOpenOption.APPEND);
  }

  private static byte[] random(int n) {
    byte[] bytes = new byte[n];
    new Random(n).nextBytes(bytes);
    return bytes;
  }

  /** Asks for one piece at a time, as the HTTP client does, and keeps what it got. */
  private static final class Collector implements Flow.Subscriber<ByteBuffer> {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Flow.Subscription subscription;
    boolean completed;
    Throwable failure;

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      s.request(1);
    }

    @Override
    public void onNext(ByteBuffer piece) {
      byte[] b = new byte[piece.remaining()];
      piece.get(b);
      bytes.writeBytes(b);
      subscription.request(1);
    }

    @Override
    public void onError(Throwable t) {
      failure = t;
    }

    @Override
    public void onComplete() {
      completed = true;
    }
  }
}
