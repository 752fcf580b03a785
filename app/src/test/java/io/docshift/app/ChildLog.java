package io.docshift.app;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * What a failed child JVM ({@code serve}, {@code backfill}) wrote, kept past the test: a child logs
 * into the test's {@code @TempDir}, which JUnit deletes when the test ends, and a CI run keeps only
 * the build's output. So a failure about a child carries the tail of its log in its message, and
 * the whole log is copied to {@code target/failed-children/<test class>-<name>-<time>.log}.
 */
public final class ChildLog {
  /** Lines of the log a failure message carries: enough for a stack trace and what led to it. */
  static final int TAIL_LINES = 60;

  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS", Locale.ROOT);

  private final Path log;

  /**
   * @param log the file the child's stdout and stderr go to (it need not exist yet)
   */
  public ChildLog(Path log) {
    this.log = requireNonNull(log, "log");
  }

  /** The log file. */
  public Path file() {
    return log;
  }

  /**
   * An {@link AssertionError} saying {@code what} went wrong with the child, where its log was kept
   * and the log's last {@value #TAIL_LINES} lines; keeps the log first ({@link #keep()}).
   *
   * @param cause what the test saw, or null
   */
  public AssertionError failure(String what, Throwable cause) {
    requireNonNull(what, "what");
    String kept = keep();
    return new AssertionError(
        what + "; log " + kept + ", its last lines:\n" + tail(TAIL_LINES), cause);
  }

  /**
   * Copies the log under {@code target/failed-children}, named after the test class that asked (the
   * outermost {@code *Test} on the stack, else the nearest caller) and the log's own name; returns
   * where it went, or why it could not be kept (the failure at hand matters more).
   */
  public String keep() {
    Path dir = Path.of(System.getProperty("basedir", "")).toAbsolutePath().resolve("target");
    Path copy =
        dir.resolve("failed-children")
            .resolve(
                testClass() + "-" + baseName() + "-" + LocalDateTime.now().format(STAMP) + ".log");
    try {
      if (!Files.exists(log)) {
        return log + " (never written)";
      }
      Files.createDirectories(copy.getParent());
      Files.copy(log, copy);
      return copy.toString();
    } catch (IOException e) {
      return log + " (not kept: " + e + ")";
    }
  }

  /** The log's last {@code lines} lines (all of it if shorter), or why it could not be read. */
  public String tail(int lines) {
    try {
      if (!Files.exists(log)) {
        return "(no log)";
      }
      List<String> all =
          new String(Files.readAllBytes(log), StandardCharsets.UTF_8).lines().toList();
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(log not readable: " + e + ")";
    }
  }

  private String baseName() {
    String name = log.getFileName().toString();
    return name.endsWith(".log") ? name.substring(0, name.length() - ".log".length()) : name;
  }

  private static String testClass() {
    List<Class<?>> callers =
        StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE)
            .walk(
                frames ->
                    frames
                        .map(StackWalker.StackFrame::getDeclaringClass)
                        .filter(c -> c.getName().startsWith("io.docshift."))
                        .filter(c -> c != ChildLog.class)
                        .toList());
    return callers.stream()
        .filter(c -> c.getSimpleName().endsWith("Test"))
        .reduce((first, second) -> second)
        .or(() -> callers.stream().filter(c -> !c.getSimpleName().endsWith("Child")).findFirst())
        .or(() -> callers.stream().findFirst())
        .map(Class::getSimpleName)
        .orElse("unknown");
  }
}
