package io.docshift.app.telemetry;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/**
 * Captures every log event of this JVM while open: the root logger's, and, at TRACE, those of the
 * {@code verbose} loggers (their events go to the capture only, not the console).
 */
public final class LogCapture implements AutoCloseable {
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final Logger root;
  private final Map<Logger, Level> levels = new HashMap<>();

  public LogCapture(String... verbose) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    appender.setContext(context);
    appender.start();
    root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(appender);
    for (String name : verbose) {
      Logger logger = context.getLogger(name);
      levels.put(logger, logger.getLevel());
      logger.setLevel(Level.TRACE);
      logger.setAdditive(false);
      logger.addAppender(appender);
    }
  }

  /** Events captured so far. */
  public List<ILoggingEvent> events() {
    synchronized (appender.list) {
      return new ArrayList<>(appender.list);
    }
  }

  /** Everything a log line could show: message, arguments, key-value pairs, stack traces. */
  public String text() {
    return events().stream().map(LogCapture::render).collect(Collectors.joining("\n"));
  }

  public static String render(ILoggingEvent event) {
    StringBuilder out = new StringBuilder(event.getFormattedMessage());
    if (event.getKeyValuePairs() != null) {
      event
          .getKeyValuePairs()
          .forEach(kv -> out.append(' ').append(kv.key).append('=').append(kv.value));
    }
    if (event.getThrowableProxy() != null) {
      out.append('\n').append(ThrowableProxyUtil.asString(event.getThrowableProxy()));
    }
    return out.toString();
  }

  @Override
  public void close() {
    root.detachAppender(appender);
    levels.forEach(
        (logger, level) -> {
          logger.detachAppender(appender);
          logger.setLevel(level);
          logger.setAdditive(true);
        });
    appender.stop();
  }
}
