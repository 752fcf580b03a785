package io.docshift.app.write;

import io.docshift.app.write.HistoryClient.Reply;
import io.docshift.app.write.HistoryOp.Kind;
import java.net.URI;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The clients of a history run: {@code clients} threads, each with its own seeded random, send
 * uploads (signed, unsigned, chunked), destroys, renames and Admin API deletes over a few
 * public_ids to whichever DocShift process is up, and record every invocation and outcome.
 */
final class HistoryRun implements AutoCloseable {
  private final String run;
  private final List<String> ids;
  private final HistoryClient client;
  private final long seed;
  private final long t0 = System.nanoTime();
  private final AtomicReference<URI> node = new AtomicReference<>();
  private final AtomicBoolean stop = new AtomicBoolean();
  private final AtomicInteger seq = new AtomicInteger();
  private final AtomicInteger uploadsInFlight = new AtomicInteger();
  private final AtomicInteger answered = new AtomicInteger();
  private final List<HistoryOp> history = new CopyOnWriteArrayList<>();
  private final ExecutorService pool;
  private final int clients;

  HistoryRun(String run, List<String> ids, HistoryClient client, long seed, int clients) {
    this.run = run;
    this.ids = List.copyOf(ids);
    this.client = client;
    this.seed = seed;
    this.clients = clients;
    this.pool = Executors.newFixedThreadPool(clients);
  }

  /** Where clients send their next request; null while DocShift is down. */
  void node(URI url) {
    node.set(url);
  }

  void start(int maxOpsPerClient) {
    for (int c = 0; c < clients; c++) {
      int id = c;
      pool.execute(() -> loop(id, maxOpsPerClient));
    }
  }

  int uploadsInFlight() {
    return uploadsInFlight.get();
  }

  /** How many operations DocShift has answered so far (acknowledged, no-op or refused). */
  int answered() {
    return answered.get();
  }

  /** Stops the clients after their current operation; waits for them (60 s at most). */
  List<HistoryOp> finish() throws InterruptedException {
    stop.set(true);
    pool.shutdown();
    if (!pool.awaitTermination(60, TimeUnit.SECONDS)) {
      throw new AssertionError("history clients still running 60 s after the stop");
    }
    return List.copyOf(history);
  }

  private void loop(int c, int maxOps) {
    Random random = new Random(seed * 7919 + c);
    for (int n = 0; n < maxOps && !stop.get(); n++) {
      URI url = node.get();
      if (url == null) {
        n--; // DocShift is being restarted: nothing was sent
        sleep(20);
        continue;
      }
      one(c, url, random);
    }
  }

  private void one(int c, URI url, Random random) {
    int s = seq.incrementAndGet();
    String id = ids.get(random.nextInt(ids.size()));
    int dice = random.nextInt(100);
    Kind kind =
        dice < 35
            ? Kind.SIGNED_UPLOAD
            : dice < 47
                ? Kind.UNSIGNED_UPLOAD
                : dice < 55
                    ? Kind.UPLOAD_LARGE
                    : dice < 70 ? Kind.DESTROY : dice < 83 ? Kind.RENAME : Kind.ADMIN_DELETE;
    String to = kind == Kind.RENAME ? ids.get(random.nextInt(ids.size())) : null;
    if (id.equals(to)) {
      kind = Kind.DESTROY;
      to = null;
    }
    byte[] body =
        kind.writes()
            ? HistoryClient.payload(
                run,
                s,
                kind == Kind.UPLOAD_LARGE
                    ? 150_000 + random.nextInt(150_000)
                    : 2_000 + random.nextInt(30_000))
            : null;
    long invoke = System.nanoTime() - t0;
    if (kind.writes()) {
      uploadsInFlight.incrementAndGet();
    }
    Reply reply;
    try {
      reply =
          switch (kind) {
            case SIGNED_UPLOAD -> client.upload(url, id, body, true);
            case UNSIGNED_UPLOAD -> client.upload(url, id, body, false);
            case UPLOAD_LARGE -> client.uploadLarge(url, id, body, run + "-" + s);
            case DESTROY -> client.destroy(url, id);
            case RENAME -> client.rename(url, id, to);
            case ADMIN_DELETE -> client.adminDelete(url, id);
          };
    } finally {
      if (kind.writes()) {
        uploadsInFlight.decrementAndGet();
      }
    }
    long complete = System.nanoTime() - t0;
    if (!reply.outcome().indeterminate()) {
      answered.incrementAndGet();
    }
    String sha = body == null ? null : Bodies.sha256(body);
    history.add(
        new HistoryOp(s, c, kind, id, to, sha, invoke, complete, reply.outcome(), reply.detail()));
  }

  private static void sleep(long millis) {
    try {
      TimeUnit.MILLISECONDS.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    stop.set(true);
    pool.shutdownNow();
  }
}
