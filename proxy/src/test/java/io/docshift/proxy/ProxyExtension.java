package io.docshift.proxy;

import io.docshift.testkit.CloudinaryEmulatorExtension;
import io.docshift.testkit.EmbeddedS3Extension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The proxy for edge tests, once per test class: both stores are one answering {@link StubBackend}
 * (so a test can assert that a refused request reached no store), the spool is a fresh directory,
 * and {@code settings} tune the limits under test.
 */
final class StubProxy implements BeforeAllCallback, AfterAllCallback {
  private final CloudinaryEmulatorExtension cloudinary = new CloudinaryEmulatorExtension();
  private final EmbeddedS3Extension s3 = new EmbeddedS3Extension();
  private final Map<String, String> settings;
  private Path spool;
  private StubBackend backend;
  private ReadPathFixture fx;

  StubProxy(Map<String, String> settings) {
    this.settings = settings;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    cloudinary.beforeAll(context);
    s3.beforeAll(context);
    spool = Files.createTempDirectory("docshift-stub-spool");
    backend = StubBackend.answering();
    Map<String, String> keys = new LinkedHashMap<>(settings);
    keys.put("proxy.spoolDir", spool.toString());
    fx = ReadPathFixture.overStub(cloudinary.emulator(), s3.s3(), backend, keys);
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    try {
      fx.close();
      backend.close();
    } finally {
      s3.afterAll(context);
      cloudinary.afterAll(context);
      deleteTree(spool);
    }
  }

  ReadPathFixture fx() {
    return fx;
  }

  StubBackend backend() {
    return backend;
  }

  /** The configured spool directory ({@code proxy.spoolDir}); each run spools below it. */
  Path spool() {
    return spool;
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    }
  }
}
