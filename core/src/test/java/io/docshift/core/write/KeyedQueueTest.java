package io.docshift.core.write;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** One document's uploads run one after the other; other documents' do not wait. */
class KeyedQueueTest {
  private final KeyedQueue queue = new KeyedQueue(Runnable::run);

  @Test
  void workOfOneKeyStartsOnlyAfterTheEarlierWorkFinished() {
    List<String> started = new CopyOnWriteArrayList<>();
    CompletableFuture<String> first = new CompletableFuture<>();

    CompletableFuture<String> a = queue.run("doc", () -> log(started, "a", first));
    CompletableFuture<String> b =
        queue.run("doc", () -> log(started, "b", CompletableFuture.completedFuture("b")));
    CompletableFuture<String> other =
        queue.run("other", () -> log(started, "x", CompletableFuture.completedFuture("x")));

    assertThat(started).containsExactly("a", "x");
    assertThat(b).isNotDone();
    assertThat(other).isCompletedWithValue("x");
    first.complete("a");
    assertThat(a).isCompletedWithValue("a");
    assertThat(b).isCompletedWithValue("b");
    assertThat(started).containsExactly("a", "x", "b");
    assertThat(queue.size()).isZero();
  }

  @Test
  void aFailedWorkDoesNotBlockTheNext() {
    CompletableFuture<String> failed =
        queue.run("doc", () -> CompletableFuture.failedFuture(new IllegalStateException("boom")));
    CompletableFuture<String> thrown =
        queue.run(
            "doc",
            () -> {
              throw new IllegalArgumentException("refused");
            });
    CompletableFuture<String> next =
        queue.run("doc", () -> CompletableFuture.completedFuture("ok"));

    assertThat(failed).isCompletedExceptionally();
    assertThat(thrown).isCompletedExceptionally();
    assertThat(next).isCompletedWithValue("ok");
    assertThat(queue.size()).isZero();
  }

  private static CompletableFuture<String> log(
      List<String> started, String name, CompletableFuture<String> result) {
    started.add(name);
    return result;
  }
}
