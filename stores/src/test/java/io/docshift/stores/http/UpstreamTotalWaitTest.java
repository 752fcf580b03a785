package io.docshift.stores.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.core.outcome.Backend;
import io.docshift.core.outcome.Outcome;
import io.docshift.core.store.StoreException;
import io.docshift.testkit.Eventually;
import io.docshift.testkit.TricklingServer;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The total wait of an upstream call: a store that answers at once and then sends one body byte
 * every 200 ms is never silent for the response timeout, yet the call fails as a timeout once its
 * waits add up to the total wait, and its connection is closed.
 */
@Timeout(30)
class UpstreamTotalWaitTest {
  private EventLoopGroup group;

  /** Answers one request with a 10,000-byte body sent a byte every 200 ms. */
  private TricklingServer server;

  @BeforeEach
  void start() throws IOException {
    group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    server = TricklingServer.start("HTTP/1.1 200 OK\r\nContent-Length: 10000\r\n\r\n", 'x');
  }

  @AfterEach
  void stop() throws IOException {
    server.close();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  @Test
  void aTricklingBodyIsCutAtTheTotalWait() throws Exception {
    UpstreamSettings settings =
        UpstreamSettings.of(Backend.CLOUDINARY, Duration.ofSeconds(2), Duration.ofSeconds(1))
            .withTotalWait(Duration.ofMillis(1_500));
    UpstreamClient client = UpstreamClient.create(server.url(), group, settings);
    CompletableFuture<StoreException> failed = new CompletableFuture<>();
    AtomicLong received = new AtomicLong();
    long start = System.nanoTime();
    client.send(
        HttpMethod.GET,
        "/slow",
        UpstreamClient.newHeaders(),
        new UpstreamListener() {
          private UpstreamExchange exchange;

          @Override
          public void onResponse(HttpResponse response, UpstreamExchange e) {
            exchange = e;
            e.read();
          }

          @Override
          public void onContent(ByteBuf content, boolean last) {
            received.addAndGet(content.readableBytes());
            content.release();
            exchange.read();
          }

          @Override
          public void onFailure(StoreException failure, boolean responseStarted) {
            failed.complete(failure);
          }
        });

    StoreException failure = failed.get(10, TimeUnit.SECONDS);
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(failure.outcome()).isEqualTo(Outcome.CLOUDINARY_TIMEOUT);
    assertThat(failure).hasStackTraceContaining("total wait");
    assertThat(received.get()).as("bytes did arrive, never a silence").isGreaterThan(3);
    assertThat(took).isBetween(Duration.ofMillis(1_400), Duration.ofSeconds(4));
    Eventually.until(
        Duration.ofSeconds(5), client::openConnections, n -> n == 0, "no open connection");
    client.close();
  }
}
