package io.docshift.app;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code docshift config}: commands about the configuration itself (see {@code check}). */
@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description = "Works with the configuration; see: docshift config check --help",
    subcommands = ConfigCheckCommand.class)
final class ConfigCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
