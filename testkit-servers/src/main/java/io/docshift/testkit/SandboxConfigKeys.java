package io.docshift.testkit;

import io.docshift.sandbox.emulator.CloudinaryEmulator;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The configuration keys that point DocShift at the test servers: the emulator's account, API and
 * delivery URLs ({@link CloudinaryEmulatorExtension}), the embedded S3's endpoint, bucket and
 * credentials, path-style ({@link EmbeddedS3Extension}), a fresh S3 key prefix and a fresh
 * in-memory H2 ledger (kept while the JVM runs). The map is the caller's: a test adds or overrides
 * keys before it builds the configuration.
 */
public final class SandboxConfigKeys {
  private SandboxConfigKeys() {}

  /**
   * @param tag names the key prefix ({@code tag-<uuid>/}) and the ledger database, for a reader of
   *     a failed test's S3 listing or log
   */
  public static Map<String, String> of(CloudinaryEmulator emulator, URI s3Endpoint, String tag) {
    Map<String, String> keys = new LinkedHashMap<>();
    keys.put("cloudinary.cloudName", CloudinaryEmulatorExtension.CLOUD_NAME);
    keys.put("cloudinary.apiKey", CloudinaryEmulatorExtension.API_KEY);
    keys.put("cloudinary.apiSecret", CloudinaryEmulatorExtension.API_SECRET);
    keys.put("cloudinary.apiUrl", emulator.baseUrl().toString());
    keys.put("cloudinary.deliveryUrl", emulator.baseUrl() + "/{cloudName}");
    keys.put("s3.endpoint", s3Endpoint.toString());
    keys.put("s3.bucket", EmbeddedS3Extension.BUCKET);
    keys.put("s3.accessKey", EmbeddedS3Extension.ACCESS_KEY);
    keys.put("s3.secretKey", EmbeddedS3Extension.SECRET_KEY);
    keys.put("s3.pathStyle", "true");
    keys.put("s3.keyPrefix", tag + "-" + UUID.randomUUID() + "/");
    keys.put("ledger.url", "jdbc:h2:mem:" + tag + "-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    return keys;
  }
}
