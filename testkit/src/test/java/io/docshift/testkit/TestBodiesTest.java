package io.docshift.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TestBodiesTest {
  private static final byte[] DATA = TestBodies.random(10_000, 3);

  @Test
  void aChunkedBodyDeliversEveryChunkThenCompletes() throws Exception {
    SlowSubscriber.Result whole =
        SlowSubscriber.readAll(TestBodies.chunked(DATA, 4_096), Duration.ofSeconds(5));

    assertThat(whole.bytes()).isEqualTo(DATA);
    assertThat(whole.chunks()).isEqualTo(3);
  }

  @Test
  void aFailingBodyDeliversEveryChunkThenFailsInsteadOfCompleting() {
    assertThatThrownBy(
            () ->
                SlowSubscriber.readAll(
                    TestBodies.chunkedThenFailing(DATA, 4_096, () -> new IOException("cut")),
                    Duration.ofSeconds(5)))
        .hasMessage("body failed after 3 chunks")
        .cause()
        .isInstanceOf(IOException.class)
        .hasMessage("cut");
  }
}
