package io.docshift.testkit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when Netty reported a buffer leak while it ran. Registered for every test
 * class through JUnit's extension auto-detection ({@code META-INF/services}); the parent POM turns
 * auto-detection on and installs {@link RecordingLeakDetector} with paranoid leak detection.
 *
 * <p>Netty only notices a leak when a later allocation polls the reference queue after garbage
 * collection, so after each class this forces a few collections and tracked allocations before
 * reading the report. A leak found late is blamed on the class that was running when it surfaced;
 * the report names the allocation site either way.
 */
public final class LeakGate implements BeforeAllCallback, AfterAllCallback {
  private static final int GC_ROUNDS = 3;

  @Override
  public void beforeAll(ExtensionContext context) {
    if (!RecordingLeakDetector.installed()) {
      throw new IllegalStateException(
          "Netty leak gate is not installed: run tests through Maven (see the parent POM argLine)");
    }
    failOnLeaks("before " + context.getDisplayName() + " (left by an earlier class)");
  }

  @Override
  public void afterAll(ExtensionContext context) {
    failOnLeaks(context.getDisplayName());
  }

  private static void failOnLeaks(String where) {
    provokeLeakReports();
    List<String> leaks = RecordingLeakDetector.drain();
    if (!leaks.isEmpty()) {
      throw new AssertionError(
          leaks.size() + " Netty buffer leak(s) in " + where + ":\n" + String.join("\n", leaks));
    }
  }

  /** Collects garbage, then allocates so that each detector polls its reference queue. */
  private static void provokeLeakReports() {
    for (int i = 0; i < GC_ROUNDS; i++) {
      System.gc();
      allocateAndRelease(PooledByteBufAllocator.DEFAULT.directBuffer(1));
      allocateAndRelease(PooledByteBufAllocator.DEFAULT.heapBuffer(1));
      allocateAndRelease(UnpooledByteBufAllocator.DEFAULT.directBuffer(1));
      allocateAndRelease(UnpooledByteBufAllocator.DEFAULT.heapBuffer(1));
    }
  }

  private static void allocateAndRelease(ByteBuf buf) {
    buf.release();
  }
}
