package io.docshift.app.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

/** JSON lines or text, chosen per event; the production logback.xml uses this encoder. */
class LogEncoderTest {
  private final LoggerContext context = new LoggerContext();

  {
    context.setMDCAdapter(new LogbackMDCAdapter());
  }

  @AfterEach
  void reset() {
    LogFormat.select(LogFormat.AUTO);
    context.stop();
  }

  @Test
  void jsonLinesCarryTheAccessLogFieldsAtTopLevel() throws Exception {
    LogFormat.select(LogFormat.JSON);
    byte[] line = encoder().encode(accessEvent());

    String text = new String(line, StandardCharsets.UTF_8);
    assertThat(text).endsWith("\n").doesNotContain("\n{");
    JsonNode json = new ObjectMapper().readTree(text);
    assertThat(json.path("message").asText()).isEqualTo("request");
    assertThat(json.path("level").asText()).isEqualTo("INFO");
    assertThat(json.path("logger_name").asText()).isEqualTo("io.docshift.access");
    assertThat(json.path("request_id").asText()).isEqualTo("5f0c2a9e1b7d4c3a");
    assertThat(json.path("backend").asText()).isEqualTo("s3");
    assertThat(json.path("operation").asText()).isEqualTo("get");
    assertThat(json.path("outcome").asText()).isEqualTo("success");
    assertThat(json.path("latency_ms").asDouble()).isEqualTo(12.5);
    assertThat(json.has("@timestamp")).isTrue();
    assertThat(json.has("@version")).isFalse();
  }

  @Test
  void textLinesAreForPeople() {
    LogFormat.select(LogFormat.TEXT);
    String text = new String(encoder().encode(accessEvent()), StandardCharsets.UTF_8);

    assertThat(text)
        .matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  io.docshift.access - request .*\\n")
        .contains("request_id=5f0c2a9e1b7d4c3a", "backend=s3", "latency_ms=12.5");
  }

  @Test
  void theOptionWinsOverTheEnvironmentAndAutoResolves() {
    assertThat(LogFormat.fromEnvironment(Map.of(LogFormat.ENVIRONMENT, "Text")))
        .hasValue(LogFormat.TEXT);
    assertThat(LogFormat.fromEnvironment(Map.of(LogFormat.ENVIRONMENT, "xml"))).isEmpty();
    assertThat(LogFormat.fromEnvironment(Map.of())).isEmpty();
    LogFormat.select(LogFormat.AUTO);
    // Tests run without a terminal: auto means JSON.
    assertThat(LogFormat.effective()).isEqualTo(LogFormat.JSON);
    assertThatThrownBy(() -> LogFormat.parse("xml"))
        .hasMessage("log format: xml (expected: json, text or auto)");
  }

  @Test
  void theProductionConfigWritesThroughThisEncoderAsynchronously() throws Exception {
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(getClass().getResource("/logback.xml"));

    ch.qos.logback.classic.Logger root = context.getLogger("ROOT");
    Appender<?> async = root.getAppender("ASYNC");
    assertThat(async).isInstanceOf(ch.qos.logback.classic.AsyncAppender.class);
    Appender<?> stderr = ((ch.qos.logback.classic.AsyncAppender) async).getAppender("STDERR");
    assertThat(((OutputStreamAppender<?>) stderr).getEncoder()).isInstanceOf(LogEncoder.class);
    assertThat(context.getLogger("io.docshift.access").getEffectiveLevel()).isEqualTo(Level.INFO);
    List<String> statuses = new ArrayList<>();
    context.getStatusManager().getCopyOfStatusList().stream()
        .filter(s -> s.getLevel() > 0)
        .forEach(s -> statuses.add(s.toString()));
    assertThat(statuses).as("logback warnings or errors").isEmpty();
  }

  private LogEncoder encoder() {
    LogEncoder encoder = new LogEncoder();
    encoder.setContext(context);
    encoder.start();
    return encoder;
  }

  private LoggingEvent accessEvent() {
    LoggingEvent event = new LoggingEvent();
    event.setLoggerContext(context);
    event.setLoggerName("io.docshift.access");
    event.setLevel(Level.INFO);
    event.setMessage("request");
    event.setThreadName("nioEventLoopGroup-2-1");
    event.setTimeStamp(System.currentTimeMillis());
    event.addKeyValuePair(new KeyValuePair("request_id", "5f0c2a9e1b7d4c3a"));
    event.addKeyValuePair(new KeyValuePair("operation", "get"));
    event.addKeyValuePair(new KeyValuePair("backend", "s3"));
    event.addKeyValuePair(new KeyValuePair("outcome", "success"));
    event.addKeyValuePair(new KeyValuePair("status", 200));
    event.addKeyValuePair(new KeyValuePair("latency_ms", 12.5));
    return event;
  }
}
