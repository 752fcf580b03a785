package io.docshift.testkit;

import io.docshift.sandbox.emulator.CloudinaryEmulator;
import io.docshift.sandbox.emulator.EmulatorConfig;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts the {@link CloudinaryEmulator} on an ephemeral loopback port once per test class, over a
 * throwaway directory. Register as a static field, optionally adjusting the configuration:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final CloudinaryEmulatorExtension CLOUDINARY =
 *     new CloudinaryEmulatorExtension(b -> b.adminCallsPerHour(5));
 * }</pre>
 */
public final class CloudinaryEmulatorExtension implements BeforeAllCallback, AfterAllCallback {
  public static final String CLOUD_NAME = "demo";
  public static final String API_KEY = "123456789012345";
  public static final String API_SECRET = "emulator-secret";

  private final UnaryOperator<EmulatorConfig.Builder> customizer;
  private Path dir;
  private CloudinaryEmulator emulator;

  /** An emulator with the default account ({@link #CLOUD_NAME}, {@link #API_KEY}, ...). */
  public CloudinaryEmulatorExtension() {
    this(UnaryOperator.identity());
  }

  /** An emulator whose configuration {@code customizer} may adjust (clock, limits, account). */
  public CloudinaryEmulatorExtension(UnaryOperator<EmulatorConfig.Builder> customizer) {
    this.customizer = customizer;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    dir = TempDirs.create("docshift-cloudinary-");
    EmulatorConfig.Builder builder =
        EmulatorConfig.builder()
            .host("127.0.0.1")
            .port(0)
            .dataDir(dir)
            .cloudName(CLOUD_NAME)
            .apiKey(API_KEY)
            .apiSecret(API_SECRET);
    emulator = CloudinaryEmulator.start(customizer.apply(builder).build());
  }

  @Override
  public void afterAll(ExtensionContext context) {
    try {
      if (emulator != null) {
        emulator.close();
      }
    } finally {
      TempDirs.delete(dir);
    }
  }

  /** The running emulator; valid between {@code beforeAll} and {@code afterAll}. */
  public CloudinaryEmulator emulator() {
    if (emulator == null) {
      throw new IllegalStateException("emulator is not running: register the extension static");
    }
    return emulator;
  }
}
