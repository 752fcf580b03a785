package io.docshift.core.config;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * DocShift's configuration: immutable, complete (every key has a value) and valid. Built by {@link
 * #builder()} from, in increasing precedence: built-in defaults, a {@code docshift.conf} file,
 * {@code DOCSHIFT_*} environment variables, and explicit overrides (command-line flags).
 *
 * <p>Read it through the typed sections ({@code config.s3().bucket()}). {@link #render()} writes a
 * complete, commented {@code docshift.conf} that reads back to an equal config. Secrets ({@code
 * cloudinary.apiSecret}, {@code s3.secretKey}, {@code ledger.password}, {@code admin.token}, {@code
 * datadog.apiKey}) are masked by {@link #toString()}, {@link #renderMasked()} and {@link
 * #asMaskedProperties()}, and in error messages; {@link #render()} and {@link #asProperties()}
 * carry them in clear, for files a process reads back, except {@code datadog.apiKey}, which {@link
 * #render()} never writes.
 */
public final class DocShiftConfig {
  private final Map<String, String> values;
  private final CloudinaryConfig cloudinary;
  private final S3Config s3;
  private final LedgerConfig ledger;
  private final ProxyConfig proxy;
  private final AdminConfig admin;
  private final ListenerTlsConfig proxyTls;
  private final ListenerTlsConfig adminTls;
  private final TrafficConfig traffic;
  private final AutoRevertSettings autoRevert;
  private final ShutdownConfig shutdown;
  private final HedgeConfig hedge;
  private final SandboxConfig sandbox;
  private final BackfillConfig backfill;
  private final RepairConfig repair;
  private final MetricsConfig metrics;
  private final DatadogConfig datadog;
  private final ShadowConfig shadow;
  private final VerifyConfig verify;
  private final CopyOnReadConfig copyOnRead;

  private DocShiftConfig(Map<String, String> values) {
    this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    SectionReader reader = new SectionReader(values);
    this.cloudinary = reader.cloudinary();
    this.s3 = reader.s3();
    this.ledger = reader.ledger();
    this.proxy = reader.proxy();
    this.admin = reader.admin();
    this.proxyTls = TlsKeys.read(values, "proxy");
    this.adminTls = TlsKeys.read(values, "admin");
    this.traffic = reader.traffic();
    this.autoRevert = AutoRevertKeys.read(values);
    this.shutdown = ShutdownKeys.read(values);
    this.hedge = HedgeKeys.read(values);
    this.sandbox = reader.sandbox();
    this.backfill = reader.backfill();
    this.repair = reader.repair();
    this.metrics = reader.metrics();
    this.datadog = reader.datadog();
    this.shadow = reader.shadow();
    this.verify = reader.verify();
    this.copyOnRead = CopyOnReadKeys.read(values);
  }

  /** A builder with no file, no environment and no overrides (so: the defaults). */
  public static Builder builder() {
    return new Builder();
  }

  /** The built-in defaults. */
  public static DocShiftConfig defaults() {
    return builder().build();
  }

  /** Every configuration key, in {@code docshift.conf} order. */
  public static List<String> knownKeys() {
    return Settings.ALL.stream().map(Setting::key).collect(Collectors.toUnmodifiableList());
  }

  /**
   * The environment variable that sets {@code key}: {@code DOCSHIFT_} + the key upper-cased with
   * {@code .} replaced by {@code _}, e.g. {@code proxy.port} → {@code DOCSHIFT_PROXY_PORT}.
   */
  public static String environmentVariable(String key) {
    requireNonNull(key, "key");
    return "DOCSHIFT_" + key.toUpperCase(Locale.ROOT).replace('.', '_');
  }

  /** The {@code cloudinary.*} section. */
  public CloudinaryConfig cloudinary() {
    return cloudinary;
  }

  /** The {@code s3.*} section. */
  public S3Config s3() {
    return s3;
  }

  /** The {@code ledger.*} section. */
  public LedgerConfig ledger() {
    return ledger;
  }

  /** The {@code proxy.*} section. */
  public ProxyConfig proxy() {
    return proxy;
  }

  /** The {@code admin.*} section. */
  public AdminConfig admin() {
    return admin;
  }

  /** The {@code proxy.tls.*} keys: whether and with which files the proxy serves HTTPS. */
  public ListenerTlsConfig proxyTls() {
    return proxyTls;
  }

  /** The {@code admin.tls.*} keys: whether and with which files the admin API serves HTTPS. */
  public ListenerTlsConfig adminTls() {
    return adminTls;
  }

  /** The {@code traffic.*} section (initial values only). */
  public TrafficConfig traffic() {
    return traffic;
  }

  /**
   * The {@code autoRevert.*} section: the initial auto-revert rules (live changes go through the
   * admin API and the shared traffic state).
   */
  public AutoRevertSettings autoRevert() {
    return autoRevert;
  }

  /** The {@code shutdown.*} section: the graceful drain on SIGTERM. */
  public ShutdownConfig shutdown() {
    return shutdown;
  }

  /** The {@code read.hedge.*} section: hedged S3 reads. */
  public HedgeConfig hedge() {
    return hedge;
  }

  /** The {@code sandbox.*} section. */
  public SandboxConfig sandbox() {
    return sandbox;
  }

  /** The {@code backfill.*} section. */
  public BackfillConfig backfill() {
    return backfill;
  }

  /** The {@code repair.*} section. */
  public RepairConfig repair() {
    return repair;
  }

  /** The {@code shadow.*} section. */
  public ShadowConfig shadow() {
    return shadow;
  }

  /** The {@code verify.*} section. */
  public VerifyConfig verify() {
    return verify;
  }

  /** The {@code read.copyOnRead.*} section: copying into S3 what reads served from Cloudinary. */
  public CopyOnReadConfig copyOnRead() {
    return copyOnRead;
  }

  /** The {@code metrics.*} section. */
  public MetricsConfig metrics() {
    return metrics;
  }

  /** The {@code datadog.*} section. */
  public DatadogConfig datadog() {
    return datadog;
  }

  /**
   * Every key and its normalised value, in {@code docshift.conf} order; secrets in clear, the
   * Datadog API key included (for handing a config to another part of this process).
   */
  public Map<String, String> asProperties() {
    return values;
  }

  /** Like {@link #asProperties()}, with set secrets shown as {@code ****}. */
  public Map<String, String> asMaskedProperties() {
    Map<String, String> masked = new LinkedHashMap<>();
    Settings.ALL.forEach(s -> masked.put(s.key(), s.display(values.get(s.key()))));
    return Collections.unmodifiableMap(masked);
  }

  /**
   * A complete {@code docshift.conf} for this config: every key with its meaning, accepted values
   * and default. Secrets are in clear, so a process given the file with {@code --config} gets an
   * equal config (store it like a credentials file), except {@code datadog.apiKey}, written empty:
   * a process that should post to Datadog gets the key from its own environment.
   */
  public String render() {
    return ConfigRenderer.render(values, false);
  }

  /** {@link #render()} with set secrets shown as {@code ****}, for display. */
  public String renderMasked() {
    return ConfigRenderer.render(values, true);
  }

  /**
   * Checks that a command's required keys are set.
   *
   * @throws ConfigException listing {@code key: (expected: non-empty)} for each empty one
   * @throws IllegalArgumentException if a key is unknown
   */
  public void requireNonEmpty(String... keys) {
    List<String> errors = new ArrayList<>();
    for (String key : keys) {
      requireNonNull(key, "key");
      if (!values.containsKey(key)) {
        throw new IllegalArgumentException("unknown key " + key);
      }
      if (values.get(key).isEmpty()) {
        errors.add(ConfigValidator.missing(key));
      }
    }
    if (!errors.isEmpty()) {
      throw new ConfigException(errors);
    }
  }

  /** Equal when every key has the same value. */
  @Override
  public boolean equals(Object other) {
    return other instanceof DocShiftConfig config && values.equals(config.values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  /** Every key and value, secrets masked. */
  @Override
  public String toString() {
    return "DocShiftConfig" + asMaskedProperties();
  }

  /**
   * Collects the sources; {@link #build()} reads and validates them. The order of calls does not
   * matter: precedence is always defaults < file < environment < overrides.
   */
  public static final class Builder {
    private Path file;
    private Map<String, String> environment = Map.of();
    private final Map<String, String> overrides = new LinkedHashMap<>();

    private Builder() {}

    /** The {@code docshift.conf} to read (at {@link #build()}). */
    public Builder file(Path file) {
      this.file = requireNonNull(file, "file");
      return this;
    }

    /**
     * The process environment (pass {@code System.getenv()}); only the {@code DOCSHIFT_*} names of
     * known keys are read, other variables are ignored.
     */
    public Builder environment(Map<String, String> environment) {
      this.environment = Map.copyOf(requireNonNull(environment, "environment"));
      return this;
    }

    /** Sets one key, above every other source. Unknown keys fail at {@link #build()}. */
    public Builder override(String key, String value) {
      overrides.put(requireNonNull(key, "key"), requireNonNull(value, "value"));
      return this;
    }

    /** {@link #override} for each entry. */
    public Builder overrides(Map<String, String> overrides) {
      requireNonNull(overrides, "overrides").forEach(this::override);
      return this;
    }

    /**
     * Reads the file, merges the sources and validates every value.
     *
     * @throws ConfigException listing every problem: an unreadable file, unknown or duplicate keys,
     *     malformed lines, and each invalid value as {@code key: value (expected: ...)}
     */
    public DocShiftConfig build() {
      List<String> errors = new ArrayList<>();
      Map<String, String> merged = Settings.defaults();
      if (file != null) {
        merged.putAll(ConfigFile.read(file, errors));
      }
      for (String key : merged.keySet()) {
        String fromEnvironment = environment.get(environmentVariable(key));
        if (fromEnvironment != null) {
          merged.put(key, fromEnvironment);
        }
      }
      overrides.forEach(
          (key, value) -> {
            if (Settings.find(key).isPresent()) {
              merged.put(key, value);
            } else {
              errors.add(key + ": unknown key (override)");
            }
          });
      Map<String, String> valid = ConfigValidator.validate(merged, errors);
      if (!errors.isEmpty()) {
        throw new ConfigException(errors);
      }
      return new DocShiftConfig(valid);
    }
  }
}
