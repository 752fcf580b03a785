package io.docshift.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import java.net.URLEncoder;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.LoggerFactory;

/**
 * Every log line a test produces, grepped for canary values (public ids, secrets, tokens): the one
 * capture behind the log canary tests. Captures what reaches the root logger in-process, each line
 * as its message, key-values and the class and message of every throwable in its cause chain; a
 * canary counts as found as is and URL-encoded (form and path style), the shapes store errors quote
 * keys and URLs in. Start it before the run, {@link #close()} it after.
 */
public final class LogCanary implements AutoCloseable {
  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
  private final Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);

  private LogCanary() {
    lines.start();
    root.addAppender(lines);
  }

  /** Starts capturing every line that reaches the root logger. */
  public static LogCanary start() {
    return new LogCanary();
  }

  /** How many lines were captured so far. */
  public int lineCount() {
    return lines.list.size();
  }

  /** The captured lines of {@code loggerName} (exact) at WARN or above. */
  public List<String> warnings(String loggerName) {
    List<String> found = new ArrayList<>();
    for (ILoggingEvent e : List.copyOf(lines.list)) {
      if (e.getLoggerName().equals(loggerName)
          && e.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.WARN)) {
        found.add(text(e));
      }
    }
    return found;
  }

  /** Each captured line that holds one of {@code canaries} (or its URL-encoded form), described. */
  public List<String> leaks(List<String> canaries) {
    List<String> leaks = new ArrayList<>();
    for (ILoggingEvent e : List.copyOf(lines.list)) {
      String text = text(e);
      for (String canary : canaries) {
        for (String form : forms(canary)) {
          if (text.contains(form)) {
            leaks.add(form + " in " + e.getLoggerName() + ": " + text);
          }
        }
      }
    }
    return leaks;
  }

  private static Set<String> forms(String canary) {
    String form = URLEncoder.encode(canary, UTF_8);
    String percent = form.replace("+", "%20");
    return new LinkedHashSet<>(List.of(canary, form, percent, percent.replace("%2F", "/")));
  }

  private static String text(ILoggingEvent e) {
    StringBuilder text = new StringBuilder(e.getFormattedMessage());
    if (e.getKeyValuePairs() != null) {
      e.getKeyValuePairs()
          .forEach(kv -> text.append(' ').append(kv.key).append('=').append(kv.value));
    }
    for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
      text.append(' ').append(t.getClassName()).append(": ").append(t.getMessage());
    }
    return text.toString();
  }

  @Override
  public void close() {
    root.detachAppender(lines);
    lines.stop();
  }
}
