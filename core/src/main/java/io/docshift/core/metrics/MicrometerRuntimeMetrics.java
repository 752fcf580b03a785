package io.docshift.core.metrics;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.SingleThreadEventExecutor;
import io.netty.util.internal.PlatformDependent;

/**
 * The process underneath: Micrometer's JVM binders ({@code jvm.memory.*}, {@code jvm.gc.*}, {@code
 * jvm.threads.*}, {@code jvm.classes.*}, {@code process.cpu.usage}, {@code process.uptime}, ...),
 * Netty's direct memory ({@code docshift.netty.direct.memory.used}) and, for a process that serves,
 * the tasks waiting on its event loops ({@code docshift.netty.eventloop.pending.tasks}): a growing
 * queue means the loops cannot keep up, before latency shows it.
 */
public final class MicrometerRuntimeMetrics implements AutoCloseable {
  private final JvmGcMetrics gc = new JvmGcMetrics();

  private MicrometerRuntimeMetrics() {}

  /** Binds the JVM meters and Netty's direct memory to {@code registry}; close to unbind GC. */
  public static MicrometerRuntimeMetrics bind(MeterRegistry registry) {
    requireNonNull(registry, "registry");
    MicrometerRuntimeMetrics runtime = new MicrometerRuntimeMetrics();
    new JvmMemoryMetrics().bindTo(registry);
    runtime.gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    Gauge.builder("docshift.netty.direct.memory.used", MicrometerRuntimeMetrics::directMemoryUsed)
        .description("Direct memory held by Netty buffers (proxy, S3 client)")
        .baseUnit("bytes")
        .register(registry);
    return runtime;
  }

  /**
   * Adds {@code docshift.netty.eventloop.pending.tasks{group}}: tasks queued on {@code loops},
   * summed over its loops. Read from the scrape thread: {@code pendingTasks()} is thread-safe.
   *
   * @param group a bounded name for the loops, e.g. {@code proxy}
   */
  public static void bindEventLoops(
      MeterRegistry registry, String group, EventExecutorGroup loops) {
    requireNonNull(registry, "registry");
    requireNonNull(group, "group");
    requireNonNull(loops, "loops");
    Gauge.builder(
            "docshift.netty.eventloop.pending.tasks", loops, MicrometerRuntimeMetrics::pendingTasks)
        .description("Tasks waiting on the event loops, summed over the loops of the group")
        .tag("group", BoundedTag.of(group))
        .register(registry);
  }

  private static double pendingTasks(EventExecutorGroup loops) {
    long pending = 0;
    for (EventExecutor loop : loops) {
      if (loop instanceof SingleThreadEventExecutor single) {
        pending += single.pendingTasks();
      }
    }
    return pending;
  }

  /** Netty's own counter; the default allocator's when Netty does not count (it reports -1). */
  private static double directMemoryUsed() {
    long used = PlatformDependent.usedDirectMemory();
    if (used < 0 && ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider provider) {
      used = provider.metric().usedDirectMemory();
    }
    return Math.max(used, 0);
  }

  /** Unregisters the GC notification listener. */
  @Override
  public void close() {
    gc.close();
  }
}
