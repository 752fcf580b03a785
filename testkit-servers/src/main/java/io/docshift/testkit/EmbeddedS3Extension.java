package io.docshift.testkit;

import io.docshift.sandbox.s3.EmbeddedS3;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts an {@link EmbeddedS3} on an ephemeral loopback port, with one bucket, once per test class,
 * over a throwaway directory. Register as a static field:
 *
 * <pre>{@code @RegisterExtension static final EmbeddedS3Extension S3 = new EmbeddedS3Extension();}
 * </pre>
 */
public final class EmbeddedS3Extension implements BeforeAllCallback, AfterAllCallback {
  /** Bucket created in every embedded S3 this extension starts. */
  public static final String BUCKET = "docshift-test";

  public static final String ACCESS_KEY = "test-access-key";
  public static final String SECRET_KEY = "test-secret-key";

  private Path dir;
  private EmbeddedS3 s3;

  @Override
  public void beforeAll(ExtensionContext context) {
    dir = TempDirs.create("docshift-s3-");
    s3 = start(dir, 0);
  }

  /**
   * An embedded S3 with this extension's bucket and keys on a loopback {@code port} (0: a free one)
   * over {@code dir}, for tests that stop and restart S3 themselves; the caller closes it.
   */
  public static EmbeddedS3 start(Path dir, int port) {
    return EmbeddedS3.start(dir, "127.0.0.1", port, BUCKET, ACCESS_KEY, SECRET_KEY);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    try {
      if (s3 != null) {
        s3.close();
      }
    } finally {
      TempDirs.delete(dir);
    }
  }

  /** The running S3; valid between {@code beforeAll} and {@code afterAll}. */
  public EmbeddedS3 s3() {
    if (s3 == null) {
      throw new IllegalStateException("embedded S3 is not running: register the extension static");
    }
    return s3;
  }

  /** The directory S3Proxy stores objects in, to tamper with them behind DocShift's back. */
  public Path dataDir() {
    return dir;
  }
}
