package io.docshift.app;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns an exception escaping a command into one clear line on stderr and exit code 1, instead of a
 * stack trace. Configuration errors already read {@code key: value (expected: ...)}; the full trace
 * is logged at DEBUG for whoever needs it.
 */
final class ErrorHandler implements IExecutionExceptionHandler {
  @Override
  public int handleExecutionException(Exception e, CommandLine cli, ParseResult parsed) {
    cli.getErr().println("docshift " + cli.getCommandName() + ": " + describe(e));
    org.slf4j.LoggerFactory.getLogger(ErrorHandler.class).debug("command failed", e);
    return 1;
  }

  /**
   * Expected failures (bad config, a port in use, an unreachable store) carry a message written for
   * the operator; anything else is a bug, so its type is shown too.
   */
  private static String describe(Throwable e) {
    String message = e.getMessage();
    boolean expected =
        e instanceof io.docshift.core.config.ConfigException
            || e instanceof IllegalArgumentException
            || e instanceof IllegalStateException
            || e instanceof java.io.UncheckedIOException;
    if (message == null || message.isBlank()) {
      return e.getClass().getName();
    }
    return expected ? message : e.getClass().getName() + ": " + message;
  }
}
