package io.docshift.app.write;

import io.docshift.core.config.CloudinaryConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bounded load through the balancer: each client uploads (signed), reads back what was
 * acknowledged (checking the bytes) and, every fourth operation, sends an {@code upload_large} in
 * 64 KiB chunks that the balancer spreads over the instances. Every operation that does not succeed
 * is kept with the phase it started in, so a test can demand zero failures while instances restart
 * and accept some while one is killed.
 */
final class FleetLoad {
  /**
   * An operation that did not succeed: the phase it started in and the one it failed in (an {@code
   * upload_large} of several requests may span two).
   */
  record Failure(String phase, String failedIn, String op, String detail) {}

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final URI balancer;
  private final CloudinaryConfig account;
  private final HistoryClient client;
  private final Map<String, byte[]> acknowledged = new ConcurrentHashMap<>();
  private final List<Failure> failures = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicInteger> okByPhase = new ConcurrentHashMap<>();
  private final AtomicInteger ids = new AtomicInteger();
  private final ExecutorService clients;
  private volatile String phase = "steady";
  private volatile boolean running = true;

  FleetLoad(URI balancer, CloudinaryConfig account, int clientCount) {
    this.balancer = balancer;
    this.account = account;
    this.client = new HistoryClient(account);
    this.clients = Executors.newFixedThreadPool(clientCount);
    for (int c = 0; c < clientCount; c++) {
      int seed = c;
      clients.execute(() -> run(seed));
    }
  }

  private void run(int seed) {
    for (int n = 0; running; n++) {
      String started = phase;
      String id = "fleet/c" + seed + "-" + ids.incrementAndGet();
      boolean ok;
      if (n % 4 == 3) {
        byte[] body = HistoryClient.payload("fleet-large", ids.get(), 200_000 + seed);
        ok =
            write(
                started,
                "upload_large " + id,
                id,
                body,
                client.uploadLarge(balancer, id, body, id.replace('/', '-')));
      } else if (n % 2 == 0 || acknowledged.isEmpty()) {
        byte[] body = HistoryClient.payload("fleet", ids.get(), 20_000 + 1_000 * seed);
        ok = write(started, "upload " + id, id, body, client.upload(balancer, id, body, true));
      } else {
        ok = read(started);
      }
      if (ok) {
        okByPhase.computeIfAbsent(started, p -> new AtomicInteger()).incrementAndGet();
      }
    }
  }

  private boolean write(
      String started, String op, String id, byte[] body, HistoryClient.Reply reply) {
    if (reply.outcome() == HistoryOp.Outcome.OK) {
      acknowledged.put(id, body);
      return true;
    }
    failures.add(new Failure(started, phase, op, reply.outcome() + " " + reply.detail()));
    return false;
  }

  private boolean read(String started) {
    List<String> known = new ArrayList<>(acknowledged.keySet());
    String id = known.get(Math.floorMod(ids.incrementAndGet() * 31, known.size()));
    URI url = balancer.resolve("/" + account.cloudName() + "/raw/upload/" + id);
    try {
      HttpResponse<byte[]> r =
          HTTP.send(
              HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(15)).build(),
              HttpResponse.BodyHandlers.ofByteArray());
      if (r.statusCode() == 200
          && Bodies.sha256(r.body()).equals(Bodies.sha256(acknowledged.get(id)))) {
        return true;
      }
      failures.add(new Failure(started, phase, "read " + id, "status " + r.statusCode()));
    } catch (java.io.IOException e) {
      failures.add(new Failure(started, phase, "read " + id, e.toString()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return false;
  }

  /** Operations started from now on count under {@code name}. */
  void phase(String name) {
    this.phase = name;
  }

  /** Successful operations that started in {@code name}. */
  int succeeded(String name) {
    AtomicInteger n = okByPhase.get(name);
    return n == null ? 0 : n.get();
  }

  /** Stops the clients (each finishes its operation, 60 s at most). */
  void stop() throws InterruptedException {
    running = false;
    clients.shutdown();
    if (!clients.awaitTermination(60, TimeUnit.SECONDS)) {
      throw new AssertionError("load clients still busy 60 s after stop");
    }
  }

  Map<String, byte[]> acknowledged() {
    return acknowledged;
  }

  List<Failure> failures() {
    return failures;
  }
}
