package io.docshift.sandbox.emulator;

import com.cloudinary.Cloudinary;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** One emulator per contract class and an SDK instance configured against it. */
abstract class SdkFixture {
  static final String KEY = "123456789012345";
  static final String SECRET = "contract-secret";

  @TempDir static Path dataDir;
  static CloudinaryEmulator emulator;
  static Cloudinary cloudinary;

  /** The SDK transport class this run must have loaded. */
  abstract String expectedStrategy();

  /** The other SDK line's transport, which must be absent from this run's classpath. */
  abstract String absentStrategy();

  @BeforeAll
  static void startEmulator() {
    emulator =
        CloudinaryEmulator.start(
            EmulatorConfig.builder()
                .dataDir(dataDir)
                .cloudName("contract")
                .apiKey(KEY)
                .apiSecret(SECRET)
                .build());
    cloudinary = sdk(KEY, SECRET);
  }

  @AfterAll
  static void stopEmulator() {
    emulator.close();
  }

  static Cloudinary sdk(String key, String secret) {
    Cloudinary c =
        new Cloudinary(
            "cloudinary://" + key + ":" + secret + "@contract?upload_prefix=" + emulator.baseUrl());
    c.config.secure = false;
    c.config.cname = emulator.baseUrl().getAuthority();
    return c;
  }

  static Map<?, ?> upload(byte[] bytes, String publicId, Map<?, ?> options) throws Exception {
    Map<Object, Object> all = new HashMap<>(options);
    all.put("public_id", publicId);
    return cloudinary.uploader().upload(bytes, all);
  }
}
