package io.docshift.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.EventExecutorGroup;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** JVM binders, Netty's direct memory and the event loops' queued tasks. */
class MicrometerRuntimeMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @Test
  void pendingTasksAreTheTasksQueuedBehindABusyLoop() throws Exception {
    EventExecutorGroup loops = new DefaultEventExecutorGroup(2);
    CountDownLatch release = new CountDownLatch(1);
    try {
      MicrometerRuntimeMetrics.bindEventLoops(registry, "proxy", loops);
      assertThat(pending()).isZero();
      var loop = loops.next();
      CountDownLatch busy = new CountDownLatch(1);
      loop.execute(
          () -> {
            busy.countDown();
            await(release);
          });
      assertThat(busy.await(5, TimeUnit.SECONDS)).isTrue();
      for (int i = 0; i < 3; i++) {
        loop.execute(() -> {});
      }
      assertThat(pending()).isEqualTo(3);
    } finally {
      release.countDown();
      loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  @Test
  void directMemoryFollowsNettyBuffersAndJvmMetersAreBound() {
    MicrometerRuntimeMetrics runtime = MicrometerRuntimeMetrics.bind(registry);
    try {
      double before = registry.get("docshift.netty.direct.memory.used").gauge().value();
      ByteBuf buffer = ByteBufAllocator.DEFAULT.directBuffer(4 << 20);
      try {
        buffer.writeZero(4 << 20);
        assertThat(registry.get("docshift.netty.direct.memory.used").gauge().value())
            .isGreaterThanOrEqualTo(before + (4 << 20));
      } finally {
        buffer.release();
      }
      assertThat(registry.get("jvm.memory.used").gauges()).isNotEmpty();
      assertThat(registry.get("jvm.threads.live").gauge().value()).isPositive();
      assertThat(registry.get("process.cpu.usage").gauge()).isNotNull();
    } finally {
      runtime.close();
    }
  }

  private double pending() {
    return registry
        .get("docshift.netty.eventloop.pending.tasks")
        .tag("group", "proxy")
        .gauge()
        .value();
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
