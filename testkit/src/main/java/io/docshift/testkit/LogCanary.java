package io.docshift.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import java.net.URLEncoder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/**
 * Every log line a test produces, the one capture behind the log canary tests and every test that
 * reads what was logged: what reaches the root logger in-process, and, at TRACE, what the {@code
 * verbose} loggers log (those lines go to the capture only, not the console). A line is its
 * message, key-values and the stack trace of its throwable, causes included ({@link #render}).
 * {@link #leaks} greps the lines for canary values (public ids, secrets, tokens), found as is and
 * URL-encoded (form and path style), the shapes store errors quote keys and URLs in. Start it
 * before the run, {@link #close()} it after.
 */
public final class LogCanary implements AutoCloseable {
  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
  private final Logger root;
  private final Map<Logger, Level> verboseLevels = new HashMap<>();

  private LogCanary(String... verbose) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    lines.setContext(context);
    lines.start();
    root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(lines);
    for (String name : verbose) {
      Logger logger = context.getLogger(name);
      verboseLevels.put(logger, logger.getLevel());
      logger.setLevel(Level.TRACE);
      logger.setAdditive(false);
      logger.addAppender(lines);
    }
  }

  /** Starts capturing every line that reaches the root logger. */
  public static LogCanary start() {
    return new LogCanary();
  }

  /**
   * Starts capturing every line that reaches the root logger, and every line of the {@code verbose}
   * loggers (names, with their children) at TRACE.
   */
  public static LogCanary start(String... verbose) {
    return new LogCanary(verbose);
  }

  /** How many lines were captured so far. */
  public int lineCount() {
    return events().size();
  }

  /** The lines captured so far, as logback's events. */
  public List<ILoggingEvent> events() {
    synchronized (lines.list) {
      return new ArrayList<>(lines.list);
    }
  }

  /** Every captured line ({@link #render}ed), one after the other. */
  public String text() {
    return events().stream().map(LogCanary::render).collect(Collectors.joining("\n"));
  }

  /** The captured lines of {@code loggerName} (exact) at WARN or above. */
  public List<String> warnings(String loggerName) {
    List<String> found = new ArrayList<>();
    for (ILoggingEvent e : events()) {
      if (e.getLoggerName().equals(loggerName) && e.getLevel().isGreaterOrEqual(Level.WARN)) {
        found.add(render(e));
      }
    }
    return found;
  }

  /** Each captured line that holds one of {@code canaries} (or its URL-encoded form), described. */
  public List<String> leaks(List<String> canaries) {
    List<String> leaks = new ArrayList<>();
    for (ILoggingEvent e : events()) {
      String text = render(e);
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

  /**
   * Everything a log line could show: message, key-value pairs, the stack trace with its causes.
   */
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
    root.detachAppender(lines);
    verboseLevels.forEach(
        (logger, level) -> {
          logger.detachAppender(lines);
          logger.setLevel(level);
          logger.setAdditive(true);
        });
    lines.stop();
  }
}
