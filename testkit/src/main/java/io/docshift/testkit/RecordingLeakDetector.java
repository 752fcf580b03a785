package io.docshift.testkit;

import io.netty.util.ResourceLeakDetector;
import java.util.ArrayList;
import java.util.List;

/**
 * A Netty leak detector that, besides logging, remembers every leak it reports so that {@link
 * LeakGate} can fail the test run. Installed through the system property {@code
 * io.netty.customResourceLeakDetector}, which the parent POM sets for every test JVM together with
 * {@code io.netty.leakDetection.level=paranoid}.
 *
 * @param <T> the tracked resource type
 */
public final class RecordingLeakDetector<T> extends ResourceLeakDetector<T> {
  private static final List<String> LEAKS = new ArrayList<>();

  /** Constructor Netty's default factory looks up reflectively. */
  public RecordingLeakDetector(Class<?> resourceType, int samplingInterval) {
    super(resourceType, samplingInterval);
  }

  /** Older constructor form, still probed by Netty's factory. */
  @SuppressWarnings("deprecation")
  public RecordingLeakDetector(Class<?> resourceType, int samplingInterval, long maxActive) {
    super(resourceType, samplingInterval, maxActive);
  }

  @Override
  protected boolean needReport() {
    // Always record, whatever the logger level is.
    return true;
  }

  @Override
  protected void reportTracedLeak(String resourceType, String records) {
    record("LEAK: " + resourceType + records);
    super.reportTracedLeak(resourceType, records);
  }

  @Override
  protected void reportUntracedLeak(String resourceType) {
    record("LEAK: " + resourceType + " (untraced)");
    super.reportUntracedLeak(resourceType);
  }

  private static void record(String report) {
    synchronized (LEAKS) {
      LEAKS.add(report);
    }
  }

  /** Returns and forgets every leak reported so far. */
  static List<String> drain() {
    synchronized (LEAKS) {
      List<String> copy = new ArrayList<>(LEAKS);
      LEAKS.clear();
      return copy;
    }
  }

  /** Whether Netty actually installed this detector (the system property was set). */
  static boolean installed() {
    return Boolean.getBoolean("docshift.leakGate.disabled")
        || RecordingLeakDetector.class
            .getName()
            .equals(System.getProperty("io.netty.customResourceLeakDetector"));
  }
}
