package io.docshift.app.verify;

import io.docshift.shadow.Verify;
import io.docshift.shadow.VerifyReport;
import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs a walk with what a terminal user expects: a progress line on stderr when a console is
 * attached, and Ctrl-C that stops cleanly (no new documents, checks in flight finish, the summary
 * and report are still written).
 */
final class VerifyRun {
  private VerifyRun() {}

  static VerifyReport run(Verify verify, PrintWriter err) throws InterruptedException {
    boolean terminal = System.console() != null;
    VerifyProgress progress = new VerifyProgress(err, verify::progress);
    ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
    if (terminal) {
      ticker.scheduleAtFixedRate(progress::print, 1, 1, TimeUnit.SECONDS);
    }
    CountDownLatch finished = new CountDownLatch(1);
    Thread onCtrlC = new Thread(() -> stopAndWait(verify, finished), "docshift-verify-stop");
    Runtime.getRuntime().addShutdownHook(onCtrlC);
    try {
      return verify.run();
    } finally {
      finished.countDown();
      ticker.shutdownNow();
      if (terminal) {
        progress.finish();
      }
      removeHook(onCtrlC);
    }
  }

  private static void stopAndWait(Verify verify, CountDownLatch finished) {
    verify.stop();
    try {
      finished.await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // Already shutting down: the hook is running and waits for this walk to end.
    }
  }
}
