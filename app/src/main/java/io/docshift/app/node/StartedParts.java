package io.docshift.app.node;

import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parts started in dependency order and stopped newest first. A part that fails to stop is logged
 * and the rest still stop, so one stuck server never keeps the others' ports bound. Thread-safe;
 * closing twice is harmless.
 */
public final class StartedParts implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StartedParts.class);
  private final Deque<AutoCloseable> parts = new ArrayDeque<>();

  /** Remembers {@code part} for {@link #close()} and returns it. */
  public synchronized <T extends AutoCloseable> T add(T part) {
    parts.push(part);
    return part;
  }

  @Override
  public synchronized void close() {
    while (!parts.isEmpty()) {
      AutoCloseable part = parts.pop();
      try {
        part.close();
      } catch (Exception e) {
        LOG.warn("stopping {} failed: {}", part.getClass().getSimpleName(), e.toString());
      }
    }
  }
}
