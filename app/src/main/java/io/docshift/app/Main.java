package io.docshift.app;

import io.docshift.app.logging.LogFormat;
import io.docshift.app.sandbox.SandboxCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code docshift} command line. Each subcommand accepts {@code --config FILE} and {@code --set
 * key=value}; {@code docshift COMMAND --help} describes it.
 */
@Command(
    name = "docshift",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Moves a live document store from Cloudinary to AWS S3 without downtime.",
      "Start with: docshift sandbox"
    },
    subcommands = {
      SandboxCommand.class,
      ServeCommand.class,
      StatusCommand.class,
      ConfigCommand.class,
      io.docshift.app.traffic.TrafficCommand.class,
      io.docshift.app.backfill.BackfillCommand.class,
      io.docshift.app.repair.RepairCommand.class,
      io.docshift.app.verify.VerifyCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {
  @Spec CommandSpec spec;

  /** Applies {@code --log-format}; inherited by every subcommand, so it may follow any of them. */
  @Option(
      names = "--log-format",
      paramLabel = "FORMAT",
      scope = ScopeType.INHERIT,
      description =
          "Log lines on stderr: json, text or auto (default: DOCSHIFT_LOG_FORMAT, else auto: text"
              + " on a terminal, JSON otherwise).")
  void logFormat(String format) {
    LogFormat.select(LogFormat.parse(format));
  }

  /** Runs the CLI and exits with the command's exit code. */
  public static void main(String[] args) {
    keepAsyncTasksOffNewThreads();
    System.exit(commandLine().execute(args));
  }

  /**
   * With fewer than three cores the common fork-join pool has one worker, and then every {@code
   * CompletableFuture.*Async} without an executor (the JDK {@code HttpClient} adds one to every
   * {@code sendAsync}) runs on a brand-new thread: about one thread per request on the 2-core
   * machines DocShift is measured on. Two common-pool workers make the JDK use the pool instead.
   * Must run before anything touches {@code ForkJoinPool}; an explicit setting is kept.
   */
  static void keepAsyncTasksOffNewThreads() {
    String parallelism = "java.util.concurrent.ForkJoinPool.common.parallelism";
    if (System.getProperty(parallelism) == null && Runtime.getRuntime().availableProcessors() < 3) {
      System.setProperty(parallelism, "2");
    }
  }

  /** The configured picocli command line; tests drive it without exiting the JVM. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler(new ErrorHandler());
    return cli;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
