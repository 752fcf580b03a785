package io.docshift.app;

import io.docshift.app.cli.ConfigOptions;
import io.docshift.core.config.ConfigException;
import io.docshift.core.config.DocShiftConfig;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code docshift config check}: loads the configuration exactly as {@code serve} would (defaults,
 * {@code --config FILE}, {@code DOCSHIFT_*} variables, {@code --set}) and either prints the
 * effective config, every key with its meaning and secrets as {@code ****}, or lists every problem
 * as {@code key: value (expected: ...)} and exits {@value #INVALID}. Nothing is contacted: a
 * deployment can run it before it starts anything.
 */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description =
        "Validates the configuration (file, DOCSHIFT_* environment, --set) and prints the"
            + " effective values with secrets masked; exits 2 listing every problem otherwise.")
final class ConfigCheckCommand implements Callable<Integer> {
  /** Exit code of an invalid configuration (1 is any other failure). */
  static final int INVALID = 2;

  @Spec CommandSpec spec;

  @Mixin ConfigOptions config;

  @Override
  public Integer call() {
    DocShiftConfig effective;
    try {
      effective = config.load();
    } catch (ConfigException e) {
      PrintWriter err = spec.commandLine().getErr();
      err.printf("docshift config check: %d problem(s)%n", e.errors().size());
      e.errors().forEach(problem -> err.println("  " + problem));
      err.flush();
      return INVALID;
    }
    PrintWriter out = spec.commandLine().getOut();
    out.print(effective.renderMasked());
    out.println();
    out.println("# configuration valid");
    out.flush();
    return 0;
  }
}
