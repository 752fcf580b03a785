package io.docshift.app;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGTERM and SIGINT for {@code docshift serve}: the first one asks for a graceful drain ({@link
 * #stopRequested()}), the next one asks to cut it short ({@link #hurry()}).
 *
 * <p>A JVM shutdown hook cannot tell a second signal from the first (once shutdown has begun, the
 * JVM ignores further ones), so the handlers are installed through {@code sun.misc.Signal}, the one
 * signal API the JDK offers (module {@code jdk.unsupported}). It is reached by reflection: a
 * compile-time reference draws a "proprietary API" warning that no annotation silences, and
 * warnings fail this build. Where it is missing, {@link #install()} says so and the caller falls
 * back on a shutdown hook (a drain then ends only at its bound).
 */
final class StopSignals {
  private static final Logger LOG = LoggerFactory.getLogger(StopSignals.class);
  private static final List<String> SIGNALS = List.of("TERM", "INT");

  private final AtomicInteger received = new AtomicInteger();
  private final CompletableFuture<String> stopRequested = new CompletableFuture<>();
  private final CompletableFuture<Void> hurry = new CompletableFuture<>();

  /** Completes with the signal's name on the first signal. */
  CompletableFuture<String> stopRequested() {
    return stopRequested;
  }

  /** Completes on the second signal (or when {@link #cutShort()} is called). */
  CompletableFuture<Void> hurry() {
    return hurry;
  }

  /** What a signal does; public for tests and for the shutdown-hook fallback. */
  void received(String signal) {
    if (received.incrementAndGet() == 1) {
      LOG.info("SIG{}: draining (send it again to stop at once)", signal);
      stopRequested.complete(signal);
    } else {
      cutShort();
    }
  }

  /** Cuts the drain short: waits end now. */
  void cutShort() {
    if (hurry.complete(null)) {
      LOG.warn("stop requested again: closing open connections now");
    }
  }

  /**
   * Replaces the JVM's handlers of SIGTERM and SIGINT with {@link #received}.
   *
   * @return false when {@code sun.misc.Signal} is not available (nothing installed)
   */
  boolean install() {
    try {
      Class<?> signalType = Class.forName("sun.misc.Signal");
      Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
      Method handle = signalType.getMethod("handle", signalType, handlerType);
      for (String name : SIGNALS) {
        Object signal = signalType.getConstructor(String.class).newInstance(name);
        handle.invoke(null, signal, handler(handlerType, name));
      }
      return true;
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      LOG.warn("signal handlers not installed ({}): a stop drains until its bound", e.toString());
      return false;
    }
  }

  private Object handler(Class<?> handlerType, String name) {
    return Proxy.newProxyInstance(
        handlerType.getClassLoader(),
        new Class<?>[] {handlerType},
        (proxy, method, args) -> {
          if (method.getName().equals("handle")) {
            received(name);
            return null;
          }
          // Object's methods on the proxy (toString, hashCode, equals), should the JDK call them.
          return switch (method.getName()) {
            case "hashCode" -> System.identityHashCode(proxy);
            case "equals" -> proxy == args[0];
            default -> "StopSignals[" + name + "]";
          };
        });
  }
}
