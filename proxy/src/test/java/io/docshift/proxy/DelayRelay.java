package io.docshift.proxy;

import io.docshift.testkit.TcpRelay;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link TcpRelay} in front of a real server (S3Proxy or the emulator) that slows or fails the
 * answers to requests whose request line names a marker: the answer's first bytes are held for a
 * delay (a slow response head), or the request is not passed on and a {@code 503} answers it after
 * the delay. It counts the requests naming each marker and the connections open, so a test can tell
 * that an answer nobody served was released (its connection closed or reused, not held).
 */
final class DelayRelay implements AutoCloseable {
  private record Rule(Duration delay, boolean fail) {}

  private final Map<String, Rule> rules = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
  private final AtomicInteger held = new AtomicInteger();
  private final TcpRelay relay;

  DelayRelay(URI target) throws IOException {
    this.relay = TcpRelay.start(target, Delaying::new);
  }

  URI url() {
    return relay.url();
  }

  /** Answers to requests naming {@code marker} start only after {@code delay}. */
  void slow(String marker, Duration delay) {
    rules.put(marker, new Rule(delay, false));
  }

  /** Requests naming {@code marker} are answered {@code 503} after {@code delay}, not passed on. */
  void fail(String marker, Duration delay) {
    rules.put(marker, new Rule(delay, true));
  }

  /** Requests naming {@code marker} seen so far (passed on or not). */
  int requests(String marker) {
    AtomicInteger n = seen.get(marker);
    return n == null ? 0 : n.get();
  }

  /** Connections open now. */
  int openConnections() {
    return relay.openConnections();
  }

  /** Answers being held right now. */
  int held() {
    return held.get();
  }

  @Override
  public void close() throws IOException {
    relay.close();
  }

  private Rule match(byte[] buffer, int n) {
    String text = new String(buffer, 0, n, StandardCharsets.ISO_8859_1);
    for (Map.Entry<String, Rule> e : rules.entrySet()) {
      if (text.contains(e.getKey())) {
        seen.computeIfAbsent(e.getKey(), k -> new AtomicInteger()).incrementAndGet();
        return e.getValue();
      }
    }
    return null;
  }

  private void hold(Duration delay) throws InterruptedException {
    held.incrementAndGet();
    try {
      Thread.sleep(delay.toMillis()); // the injected fault: a store slow to answer
    } finally {
      held.decrementAndGet();
    }
  }

  /** One connection's rule: the matched request's answer is held, or refused with a 503. */
  private final class Delaying implements TcpRelay.Rule {
    private final AtomicReference<Rule> pending = new AtomicReference<>();

    @Override
    public boolean request(byte[] buffer, int n, TcpRelay.Link link)
        throws IOException, InterruptedException {
      Rule rule = match(buffer, n);
      if (rule != null && rule.fail()) {
        hold(rule.delay());
        OutputStream out = link.toClient();
        out.write(
            ("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return false;
      }
      pending.set(rule); // before the request goes on: its answer cannot have started
      return true;
    }

    @Override
    public boolean answer(byte[] buffer, int n, TcpRelay.Link link)
        throws IOException, InterruptedException {
      Rule rule = pending.getAndSet(null);
      if (rule != null) {
        hold(rule.delay());
      }
      link.toClient().write(buffer, 0, n);
      return true;
    }
  }
}
