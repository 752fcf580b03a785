package io.docshift.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.core.config.DocShiftConfig;
import io.docshift.core.config.ProxyConfig;
import io.netty.channel.EventLoopGroup;
import io.netty.util.NettyRuntime;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

class ProxyThreadsTest {

  @Test
  void defaultsAreTheSizesTheProxyAlwaysRanWith() {
    ProxyConfig proxy = DocShiftConfig.defaults().proxy();
    try (ProxyThreads threads = ProxyThreads.start(proxy, 10)) {
      assertThat(proxy.eventLoopThreads()).isZero();
      // 0 leaves the count to Netty: twice the processors unless its own property says otherwise.
      int nettyDefault =
          Integer.getInteger("io.netty.eventLoopThreads", 2 * NettyRuntime.availableProcessors());
      assertThat(loops(threads.loops())).isEqualTo(nettyDefault);
      assertThat(loops(threads.shadowLoops())).isEqualTo(1);
      assertPool(threads.ledger(), 10, 10_000);
      assertPool(threads.writes(), 16, 10_000);
    }
  }

  @Test
  void everyLoopPoolAndQueueIsSizedFromTheProxySection() {
    ProxyConfig proxy =
        DocShiftConfig.builder()
            .overrides(
                Map.of(
                    "proxy.eventLoopThreads", "3",
                    "proxy.shadowEventLoopThreads", "2",
                    "proxy.ledgerQueueCapacity", "11",
                    "proxy.writeThreads", "5",
                    "proxy.writeQueueCapacity", "7"))
            .build()
            .proxy();
    try (ProxyThreads threads = ProxyThreads.start(proxy, 4)) {
      assertThat(loops(threads.loops())).isEqualTo(3);
      assertThat(loops(threads.shadowLoops())).isEqualTo(2);
      assertPool(threads.ledger(), 4, 11);
      assertPool(threads.writes(), 5, 7);
    }
  }

  private static long loops(EventLoopGroup group) {
    return StreamSupport.stream(group.spliterator(), false).count();
  }

  private static void assertPool(ExecutorService executor, int threads, int queueCapacity) {
    ThreadPoolExecutor pool = (ThreadPoolExecutor) executor;
    assertThat(pool.getMaximumPoolSize()).isEqualTo(threads);
    assertThat(pool.getCorePoolSize()).isEqualTo(threads);
    assertThat(pool.getQueue().remainingCapacity()).isEqualTo(queueCapacity);
  }
}
