package io.docshift.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docshift.core.store.DocumentTurns;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
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

  @Test
  void workOnSeveralKeysHoldsThemAllUntilItFinished() {
    List<String> started = new CopyOnWriteArrayList<>();
    CompletableFuture<String> upload = new CompletableFuture<>();
    queue.run("b", () -> upload);

    CompletableFuture<String> rename =
        queue.runAll(List.of("b", "a"), () -> log(started, "rename", done("rename")));
    CompletableFuture<String> destroy = queue.run("a", () -> log(started, "destroy", done("x")));

    assertThat(started).as("the rename waits for b; the destroy of a waits for it").isEmpty();
    upload.complete("b");
    assertThat(rename).isCompletedWithValue("rename");
    assertThat(destroy).isCompletedWithValue("x");
    assertThat(started).containsExactly("rename", "destroy");
    assertThat(queue.size()).isZero();
  }

  @Test
  void twoCallsOnTheSameKeysInOppositeOrderDoNotDeadlock() {
    CompletableFuture<String> held = new CompletableFuture<>();
    CompletableFuture<String> first = queue.runAll(List.of("x", "y"), () -> held);
    CompletableFuture<String> second = queue.runAll(List.of("y", "x"), () -> done("second"));

    assertThat(second).isNotDone();
    held.complete("first");
    assertThat(first).isCompletedWithValue("first");
    assertThat(second).isCompletedWithValue("second");
    assertThat(queue.runAll(List.of(), () -> done("none"))).isCompletedWithValue("none");
  }

  private static CompletableFuture<String> done(String value) {
    return CompletableFuture.completedFuture(value);
  }

  private static CompletableFuture<String> log(
      List<String> started, String name, CompletableFuture<String> result) {
    started.add(name);
    return result;
  }

  /** Bug: {@code auto} uploads were queued under {@code auto}, beside the resolved type's queue. */
  @Test
  void anAutoUploadHoldsItsIdUnderEveryTypeItMayResolveTo() {
    assertThat(KeyedQueue.uploadKeys("auto", null, "a/b"))
        .containsExactly("image/upload/a/b", "video/upload/a/b", "raw/upload/a/b");
    assertThat(KeyedQueue.uploadKeys("raw", "private", "a/b")).containsExactly("raw/private/a/b");
  }

  @Test
  void aTurnWaitsForTheDocumentsEarlierWorkAndHoldsBackItsLaterWork() throws Exception {
    CompletableFuture<String> upload = new CompletableFuture<>();
    queue.run(KeyedQueue.documentKey("raw", "upload", "a.pdf"), () -> upload);

    CompletableFuture<DocumentTurns.Turn> turn =
        CompletableFuture.supplyAsync(() -> awaitTurn("raw", null, "a.pdf"));
    Thread.sleep(50); // gives a turn that ignored the upload the chance to be taken
    assertThat(turn).isNotDone();
    upload.complete("uploaded");
    DocumentTurns.Turn held = turn.get(10, TimeUnit.SECONDS);

    CompletableFuture<String> destroy =
        queue.run(
            KeyedQueue.documentKey("raw", "upload", "a.pdf"),
            () -> CompletableFuture.completedFuture("destroyed"));
    assertThat(destroy).isNotDone();
    held.close();
    assertThat(destroy).isCompletedWithValue("destroyed");
    assertThat(queue.size()).isZero();
  }

  @Test
  void anInterruptedWaitForATurnHoldsNothing() throws Exception {
    CompletableFuture<String> upload = new CompletableFuture<>();
    queue.run(KeyedQueue.documentKey("raw", "upload", "b.pdf"), () -> upload);
    Thread.currentThread().interrupt();

    assertThatThrownBy(() -> queue.await("raw", "upload", "b.pdf"))
        .isInstanceOf(InterruptedException.class);

    upload.complete("uploaded");
    assertThat(
            queue.run(
                KeyedQueue.documentKey("raw", "upload", "b.pdf"),
                () -> CompletableFuture.completedFuture("next")))
        .isCompletedWithValue("next");
    assertThat(queue.size()).isZero();
  }

  private DocumentTurns.Turn awaitTurn(String resourceType, String type, String publicId) {
    try {
      return queue.await(resourceType, type, publicId);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
