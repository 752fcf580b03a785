package io.docshift.app.sandbox;

import io.docshift.core.config.DocShiftConfig;
import io.docshift.ledger.LedgerSettings;
import io.docshift.sandbox.emulator.CloudinaryEmulator;
import io.docshift.sandbox.s3.EmbeddedS3;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The configuration of a running sandbox: the user's configuration with the sandbox's own stores,
 * credentials and actual ports filled in. Written as {@code DIR/docshift.conf} so that every other
 * {@code docshift} command can work against the sandbox with {@code --config}.
 */
final class SandboxWiring {
  static final String CONFIG_FILE = "docshift.conf";

  private final Path dir;
  private final SandboxCredentials credentials;
  private final DocShiftConfig config;

  SandboxWiring(
      Path dir,
      DocShiftConfig base,
      SandboxCredentials credentials,
      EmbeddedS3 s3,
      CloudinaryEmulator emulator) {
    this.dir = dir;
    this.credentials = credentials;
    this.config =
        DocShiftConfig.builder()
            .overrides(base.asProperties())
            .overrides(sandboxKeys(dir, credentials, s3, emulator))
            .build();
  }

  private static Map<String, String> sandboxKeys(
      Path dir, SandboxCredentials credentials, EmbeddedS3 s3, CloudinaryEmulator emulator) {
    Map<String, String> keys = new LinkedHashMap<>();
    keys.put("cloudinary.cloudName", credentials.cloudName());
    keys.put("cloudinary.apiKey", credentials.apiKey());
    keys.put("cloudinary.apiSecret", credentials.apiSecret());
    keys.put("cloudinary.apiUrl", emulator.baseUrl().toString());
    keys.put("cloudinary.deliveryUrl", emulator.baseUrl() + "/{cloudName}");
    keys.put("s3.endpoint", s3.endpoint().toString());
    keys.put("s3.region", EmbeddedS3.REGION);
    keys.put("s3.bucket", SandboxRunner.BUCKET);
    keys.put("s3.accessKey", credentials.s3AccessKey());
    keys.put("s3.secretKey", credentials.s3SecretKey());
    keys.put("s3.pathStyle", "true");
    // AUTO_SERVER lets a second docshift process (backfill, verify, status) share the H2 file.
    keys.put("ledger.url", "jdbc:h2:file:" + dir.resolve("ledger") + ";AUTO_SERVER=TRUE");
    keys.put("admin.token", credentials.adminToken());
    keys.put("sandbox.cloudinaryPort", Integer.toString(emulator.port()));
    keys.put("sandbox.s3Port", Integer.toString(s3.port()));
    return keys;
  }

  private SandboxWiring(Path dir, SandboxCredentials credentials, DocShiftConfig config) {
    this.dir = dir;
    this.credentials = credentials;
    this.config = config;
  }

  /** This wiring with the ports the proxy and admin API listen on (they may have asked for 0). */
  SandboxWiring withPorts(int proxyPort, int adminPort) {
    DocShiftConfig withPort =
        DocShiftConfig.builder()
            .overrides(config.asProperties())
            .override("proxy.port", Integer.toString(proxyPort))
            .override("admin.port", Integer.toString(adminPort))
            .build();
    return new SandboxWiring(dir, credentials, withPort);
  }

  DocShiftConfig config() {
    return config;
  }

  LedgerSettings ledgerSettings() {
    return LedgerSettings.builder(config).build();
  }

  /** Writes {@code DIR/docshift.conf}, readable by its owner only (it holds secrets). */
  Path write() {
    Path file = dir.resolve(CONFIG_FILE);
    try {
      Files.writeString(file, config.render());
      OwnerOnly.restrict(file);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  SandboxManifest manifest(Path configFile) {
    URI apiUrl = config.cloudinary().apiUrl();
    return new SandboxManifest(
        credentials,
        apiUrl,
        config.cloudinary().deliveryBaseUrl(),
        config.s3().endpoint().orElseThrow(),
        config.s3().region(),
        config.s3().bucket(),
        config.s3().keyPrefix(),
        URI.create("http://" + config.proxy().host() + ":" + config.proxy().port()),
        URI.create("http://" + config.admin().host() + ":" + config.admin().port()),
        config.ledger().url(),
        dir,
        configFile);
  }
}
