package io.docshift.app.logging;

import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.EncoderBase;
import net.logstash.logback.encoder.LogstashEncoder;
import net.logstash.logback.fieldnames.LogstashFieldNames;

/**
 * The logback encoder of {@code docshift}'s console: JSON lines (Logstash layout, SLF4J key-value
 * pairs as top-level fields, e.g. the access log's {@code request_id}, {@code backend}, {@code
 * outcome}, {@code latency_ms}) or text, as {@link LogFormat#effective()} says for each event.
 */
public final class LogEncoder extends EncoderBase<ILoggingEvent> {
  static final String TEXT_PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{24} - %msg %kvp{NONE}%n";

  private final LogstashEncoder json = new LogstashEncoder();
  private final PatternLayoutEncoder text = new PatternLayoutEncoder();

  @Override
  public void start() {
    LogstashFieldNames names = new LogstashFieldNames();
    names.setVersion("[ignore]");
    names.setLevelValue("[ignore]");
    json.setFieldNames(names);
    json.setContext(getContext());
    json.start();
    text.setPattern(TEXT_PATTERN);
    text.setContext(getContext());
    text.start();
    super.start();
  }

  @Override
  public void stop() {
    json.stop();
    text.stop();
    super.stop();
  }

  @Override
  public byte[] headerBytes() {
    return null;
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    return LogFormat.effective() == LogFormat.JSON ? json.encode(event) : text.encode(event);
  }

  @Override
  public byte[] footerBytes() {
    return null;
  }
}
