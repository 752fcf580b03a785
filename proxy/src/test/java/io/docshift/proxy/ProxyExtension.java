package io.docshift.proxy;

import io.docshift.testkit.CloudinaryEmulatorExtension;
import io.docshift.testkit.EmbeddedS3Extension;
import io.docshift.testkit.TempDirs;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The proxy of a {@link ReadPathFixture}, once per test class, with {@code settings} tuning the
 * limits under test and a fresh spool directory. Register as a static field and seed documents in
 * the class's own {@code @BeforeAll}, which runs after this started:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final ProxyExtension PROXY = ProxyExtension.overSandbox(Map.of("proxy.x", "1"));
 * }</pre>
 */
final class ProxyExtension implements BeforeAllCallback, AfterAllCallback {
  private final CloudinaryEmulatorExtension cloudinary = new CloudinaryEmulatorExtension();
  private final EmbeddedS3Extension s3 = new EmbeddedS3Extension();
  private final Map<String, String> settings;
  private final boolean stubbed;
  private Path spool;
  private StubBackend backend;
  private ReadPathFixture fx;

  private ProxyExtension(Map<String, String> settings, boolean stubbed) {
    this.settings = settings;
    this.stubbed = stubbed;
  }

  /**
   * For edge tests: both stores are one answering {@link StubBackend}, so a test can assert that a
   * refused request reached no store.
   */
  static ProxyExtension overStub(Map<String, String> settings) {
    return new ProxyExtension(settings, true);
  }

  /** Over the real emulator and embedded S3, which the test seeds through {@link #fx()}. */
  static ProxyExtension overSandbox(Map<String, String> settings) {
    return new ProxyExtension(settings, false);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    cloudinary.beforeAll(context);
    s3.beforeAll(context);
    spool = TempDirs.create("docshift-proxy-spool");
    Map<String, String> keys = new LinkedHashMap<>(settings);
    keys.put("proxy.spoolDir", spool.toString());
    if (stubbed) {
      backend = StubBackend.answering();
      fx = ReadPathFixture.overStub(cloudinary.emulator(), s3.s3(), backend, keys);
    } else {
      fx = new ReadPathFixture(cloudinary.emulator(), s3.s3(), s3.s3().endpoint(), keys);
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    try {
      if (fx != null) {
        fx.close();
      }
      if (backend != null) {
        backend.close();
      }
    } finally {
      s3.afterAll(context);
      cloudinary.afterAll(context);
      TempDirs.delete(spool);
    }
  }

  ReadPathFixture fx() {
    return fx;
  }

  /** The stub both stores are ({@link #overStub} only). */
  StubBackend backend() {
    if (backend == null) {
      throw new IllegalStateException("no stub: this proxy is over the sandbox");
    }
    return backend;
  }

  /** The configured spool directory ({@code proxy.spoolDir}); each run spools below it. */
  Path spool() {
    return spool;
  }
}
