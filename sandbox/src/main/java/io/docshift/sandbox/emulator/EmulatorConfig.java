package io.docshift.sandbox.emulator;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Immutable settings of a {@link CloudinaryEmulator}, made by a validating {@link Builder}.
 *
 * <p>Defaults: host {@code 127.0.0.1}, port 0 (ephemeral), cloud {@code demo}, key {@code
 * 123456789012345}, secret {@code emulator-secret}, 2000 Admin API calls per hour (0 or negative
 * means unlimited), 100 MiB per upload request, 1000 originals per bulk delete call (as
 * Cloudinary), the system UTC clock, no upload presets. {@code dataDir} has no default.
 */
public final class EmulatorConfig {
  private static final Pattern CLOUD_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final Pattern API_KEY = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private final String host;
  private final int port;
  private final Path dataDir;
  private final String cloudName;
  private final String apiKey;
  private final String apiSecret;
  private final int adminCallsPerHour;
  private final long maxUploadBytes;
  private final int bulkDeletePageSize;
  private final Clock clock;
  private final Map<String, Boolean> uploadPresets;

  private EmulatorConfig(Builder b) {
    this.host = b.host;
    this.port = b.port;
    this.dataDir = b.dataDir;
    this.cloudName = b.cloudName;
    this.apiKey = b.apiKey;
    this.apiSecret = b.apiSecret;
    this.adminCallsPerHour = b.adminCallsPerHour;
    this.maxUploadBytes = b.maxUploadBytes;
    this.bulkDeletePageSize = b.bulkDeletePageSize;
    this.clock = b.clock;
    this.uploadPresets = Map.copyOf(b.uploadPresets);
  }

  /** A builder with every default set except {@code dataDir}. */
  public static Builder builder() {
    return new Builder();
  }

  /** Interface to bind, e.g. {@code 127.0.0.1}. */
  public String host() {
    return host;
  }

  /** Port to bind; 0 picks a free one (see {@link CloudinaryEmulator#port()}). */
  public int port() {
    return port;
  }

  /** Directory holding originals, metadata sidecars, chunk sessions and upload spill files. */
  public Path dataDir() {
    return dataDir;
  }

  /** The only cloud name the emulator answers to. */
  public String cloudName() {
    return cloudName;
  }

  /** The only API key the emulator knows. */
  public String apiKey() {
    return apiKey;
  }

  /** Secret used to verify request signatures and to sign delivery URLs. */
  public String apiSecret() {
    return apiSecret;
  }

  /** Admin API budget per clock hour; 0 or negative means unlimited. */
  public int adminCallsPerHour() {
    return adminCallsPerHour;
  }

  /** Largest accepted upload request body (and chunk), in bytes. */
  public long maxUploadBytes() {
    return maxUploadBytes;
  }

  /**
   * Originals one Admin API delete by prefix, tag or {@code all} deletes before it answers {@code
   * partial: true} with a {@code next_cursor}: 1000 at Cloudinary, smaller in tests that follow
   * several pages.
   */
  public int bulkDeletePageSize() {
    return bulkDeletePageSize;
  }

  /** Clock for versions, timestamps, signature freshness and rate-limit windows. */
  public Clock clock() {
    return clock;
  }

  /**
   * Whether the account's upload preset {@code name} allows unsigned uploads; empty when the
   * account has no such preset.
   */
  public Optional<Boolean> presetIsUnsigned(String name) {
    return Optional.ofNullable(uploadPresets.get(name));
  }

  @Override
  public String toString() {
    return "EmulatorConfig{host="
        + host
        + ", port="
        + port
        + ", dataDir="
        + dataDir
        + ", cloudName="
        + cloudName
        + ", apiKey="
        + apiKey
        + ", adminCallsPerHour="
        + adminCallsPerHour
        + ", maxUploadBytes="
        + maxUploadBytes
        + ", bulkDeletePageSize="
        + bulkDeletePageSize
        + ", uploadPresets="
        + uploadPresets
        + "}";
  }

  /** Validating builder; {@link #build()} fails with {@code name: value (expected: ...)}. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port;
    private Path dataDir;
    private String cloudName = "demo";
    private String apiKey = "123456789012345";
    private String apiSecret = "emulator-secret";
    private int adminCallsPerHour = 2000;
    private long maxUploadBytes = 104_857_600L;
    private int bulkDeletePageSize = 1000;
    private Clock clock = Clock.systemUTC();
    private final Map<String, Boolean> uploadPresets = new LinkedHashMap<>();

    private Builder() {}

    /** Interface to bind. */
    public Builder host(String host) {
      this.host = requireNonNull(host, "host");
      return this;
    }

    /** Port to bind, 0 for an ephemeral one. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** Storage directory, created when missing. */
    public Builder dataDir(Path dataDir) {
      this.dataDir = requireNonNull(dataDir, "dataDir");
      return this;
    }

    /** Cloud name ({@code [A-Za-z0-9_-]}). */
    public Builder cloudName(String cloudName) {
      this.cloudName = requireNonNull(cloudName, "cloudName");
      return this;
    }

    /** API key ({@code [A-Za-z0-9_-]}). */
    public Builder apiKey(String apiKey) {
      this.apiKey = requireNonNull(apiKey, "apiKey");
      return this;
    }

    /** API secret, not blank. */
    public Builder apiSecret(String apiSecret) {
      this.apiSecret = requireNonNull(apiSecret, "apiSecret");
      return this;
    }

    /** Admin API calls allowed per clock hour; 0 or negative for unlimited. */
    public Builder adminCallsPerHour(int adminCallsPerHour) {
      this.adminCallsPerHour = adminCallsPerHour;
      return this;
    }

    /** Largest upload request body in bytes, positive. */
    public Builder maxUploadBytes(long maxUploadBytes) {
      this.maxUploadBytes = maxUploadBytes;
      return this;
    }

    /** Originals per bulk delete call, 1..1000. */
    public Builder bulkDeletePageSize(int bulkDeletePageSize) {
      this.bulkDeletePageSize = bulkDeletePageSize;
      return this;
    }

    /** Time source. */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Adds a named upload preset, as an account has them in its settings: an {@code unsigned} one
     * lets browsers upload without a signature; a signed-only one is refused without one.
     */
    public Builder uploadPreset(String name, boolean unsigned) {
      check(
          API_KEY.matcher(requireNonNull(name, "name")).matches(),
          "uploadPreset",
          name,
          "[A-Za-z0-9_-]{1,64}");
      uploadPresets.put(name, unsigned);
      return this;
    }

    /** Validates and freezes the settings. */
    public EmulatorConfig build() {
      check(!host.isBlank(), "host", host, "a host name or address");
      check(port >= 0 && port <= 65_535, "port", port, "0..65535");
      check(dataDir != null, "dataDir", dataDir, "a directory");
      check(CLOUD_NAME.matcher(cloudName).matches(), "cloudName", cloudName, "[A-Za-z0-9_-]{1,64}");
      check(API_KEY.matcher(apiKey).matches(), "apiKey", apiKey, "[A-Za-z0-9_-]{1,64}");
      check(!apiSecret.isBlank(), "apiSecret", "(blank)", "a non-blank secret");
      check(maxUploadBytes > 0, "maxUploadBytes", maxUploadBytes, "> 0");
      check(
          bulkDeletePageSize >= 1 && bulkDeletePageSize <= 1000,
          "bulkDeletePageSize",
          bulkDeletePageSize,
          "1..1000");
      return new EmulatorConfig(this);
    }

    private static void check(boolean ok, String name, Object value, String expected) {
      if (!ok) {
        throw new IllegalArgumentException(name + ": " + value + " (expected: " + expected + ")");
      }
    }
  }
}
