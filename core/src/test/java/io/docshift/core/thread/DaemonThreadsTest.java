package io.docshift.core.thread;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ThreadFactory;
import org.junit.jupiter.api.Test;

class DaemonThreadsTest {
  private static final Runnable NOTHING = () -> {};

  @Test
  void namedThreadsAreDaemonsThatAllCarryTheName() {
    ThreadFactory factory = DaemonThreads.named("docshift-test");
    Thread first = factory.newThread(NOTHING);
    Thread second = factory.newThread(NOTHING);

    assertThat(first.isDaemon()).isTrue();
    assertThat(second.isDaemon()).isTrue();
    assertThat(first.getName()).isEqualTo("docshift-test");
    assertThat(second.getName()).isEqualTo("docshift-test");
  }

  @Test
  void numberedThreadsAreDaemonsCountedFromOneInTheOrderTheyAreMade() {
    ThreadFactory factory = DaemonThreads.numbered("docshift-test");
    Thread first = factory.newThread(NOTHING);
    Thread second = factory.newThread(NOTHING);

    assertThat(first.isDaemon()).isTrue();
    assertThat(second.isDaemon()).isTrue();
    assertThat(first.getName()).isEqualTo("docshift-test-1");
    assertThat(second.getName()).isEqualTo("docshift-test-2");
    assertThat(DaemonThreads.numbered("docshift-test").newThread(NOTHING).getName())
        .as("each factory counts on its own")
        .isEqualTo("docshift-test-1");
  }
}
