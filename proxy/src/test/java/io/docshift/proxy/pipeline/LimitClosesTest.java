package io.docshift.proxy.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.docshift.core.metrics.ConnectionLimit;
import io.docshift.core.metrics.MicrometerMetricsRecorder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Every close a limit makes is counted by its reason; the log gets one line per window. */
class LimitClosesTest {
  private static final InetSocketAddress PEER = new InetSocketAddress("192.0.2.7", 40_000);

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final AtomicLong nanos = new AtomicLong(5);
  private final LimitCloses closes =
      new LimitCloses(new MicrometerMetricsRecorder(registry), nanos::get, Duration.ofSeconds(10));
  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
  private final Logger logger = (Logger) LoggerFactory.getLogger(LimitCloses.class);

  @BeforeEach
  void capture() {
    lines.start();
    logger.addAppender(lines);
  }

  @AfterEach
  void stop() {
    logger.detachAppender(lines);
  }

  private double closed(ConnectionLimit limit) {
    return registry
        .counter(MicrometerMetricsRecorder.CONNECTIONS_CLOSED, "reason", limit.tag())
        .count();
  }

  @Test
  void eachCloseIsCountedByItsLimitAndLoggedAtMostOncePerWindow() {
    closes.report(ConnectionLimit.IDLE, PEER);
    closes.report(ConnectionLimit.RESPONSE_RATE, PEER);
    closes.report(ConnectionLimit.RESPONSE_RATE, PEER);
    nanos.addAndGet(Duration.ofSeconds(9).toNanos());
    closes.report(ConnectionLimit.WRITE_STALL, PEER);
    assertThat(lines.list).hasSize(1);
    nanos.addAndGet(Duration.ofSeconds(1).toNanos());
    closes.report(ConnectionLimit.HEADER_DEADLINE, PEER);

    assertThat(lines.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .containsExactly(
            "closed a client connection from 192.0.2.7: idle limit (0 more closed by limits since"
                + " the last line)",
            "closed a client connection from 192.0.2.7: header_deadline limit (3 more closed by"
                + " limits since the last line)");
    assertThat(lines.list).allMatch(e -> e.getLevel() == Level.WARN);
    assertThat(closed(ConnectionLimit.RESPONSE_RATE)).isEqualTo(2);
    assertThat(closed(ConnectionLimit.IDLE)).isEqualTo(1);
    assertThat(closed(ConnectionLimit.BODY_DEADLINE)).as("registered at zero").isZero();
  }
}
