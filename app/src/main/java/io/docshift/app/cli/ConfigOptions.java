package io.docshift.app.cli;

import io.docshift.core.config.DocShiftConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options every command shares: the config file and single-key overrides. */
public final class ConfigOptions {
  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "Configuration file (docshift.conf format; see conf/docshift.conf).")
  Path configFile;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description = "Override one configuration key, e.g. --set proxy.port=18080 (repeatable).")
  Map<String, String> overrides = new LinkedHashMap<>();

  /**
   * Builds the configuration: defaults, then {@code --config FILE}, then {@code DOCSHIFT_*}
   * environment variables, then {@code --set} overrides.
   *
   * @throws io.docshift.core.config.ConfigException listing every invalid key as {@code key: value
   *     (expected: ...)}
   */
  public DocShiftConfig load() {
    return load(configFile, overrides);
  }

  /** The same precedence for callers outside picocli; {@code configFile} may be null. */
  public static DocShiftConfig load(Path configFile, Map<String, String> overrides) {
    DocShiftConfig.Builder builder = DocShiftConfig.builder().environment(System.getenv());
    if (configFile != null) {
      builder.file(configFile);
    }
    return builder.overrides(overrides).build();
  }

  /** The config file, or null when none was given. */
  public Path configFile() {
    return configFile;
  }

  /** Overrides in the order given; later commands may add their own flags to it. */
  public Map<String, String> overrides() {
    return overrides;
  }
}
