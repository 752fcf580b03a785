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
    System.exit(commandLine().execute(args));
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
