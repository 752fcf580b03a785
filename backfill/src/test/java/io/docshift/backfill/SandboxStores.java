package io.docshift.backfill;

import io.docshift.core.store.DocumentStore;
import io.docshift.ledger.Ledger;
import io.docshift.sandbox.emulator.CloudinaryEmulator;
import io.docshift.testkit.CloudinaryEmulatorExtension;
import io.docshift.testkit.EmbeddedS3Extension;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The emulator and S3Proxy once per test class, optionally with an S3 store of the class over a key
 * prefix, and per test the ledger and stores a backfill run uses ({@link #open}). Register as a
 * static field:
 *
 * <pre>{@code @RegisterExtension static final SandboxStores STORES = new SandboxStores("x/");}
 * </pre>
 */
final class SandboxStores implements BeforeAllCallback, AfterAllCallback {
  private final CloudinaryEmulatorExtension cloudinary = new CloudinaryEmulatorExtension();
  private final EmbeddedS3Extension embeddedS3 = new EmbeddedS3Extension();
  private final String keyPrefix;
  private DocumentStore s3;

  /** Without a store of the class: each test opens its own ({@link #open}). */
  SandboxStores() {
    this(null);
  }

  /** The class's S3 store ({@link #s3()}) keeps its objects under {@code keyPrefix}. */
  SandboxStores(String keyPrefix) {
    this.keyPrefix = keyPrefix;
  }

  /**
   * A test's own H2 ledger and the stores a run copies between ({@code s3} counts the calls to
   * {@code realS3}); closing closes the stores in a run's order (S3, then Cloudinary), then the
   * ledger.
   */
  record Opened(Ledger ledger, DocumentStore cloudinary, DocumentStore realS3, CountingStore s3)
      implements AutoCloseable {
    @Override
    public void close() {
      try {
        try {
          s3.close();
        } finally {
          cloudinary.close();
        }
      } finally {
        ledger.close();
      }
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    cloudinary.beforeAll(context);
    embeddedS3.beforeAll(context);
    if (keyPrefix != null) {
      s3 = Harness.s3(embeddedS3.s3(), keyPrefix);
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    try {
      if (s3 != null) {
        s3.close();
      }
    } finally {
      embeddedS3.afterAll(context);
      cloudinary.afterAll(context);
    }
  }

  CloudinaryEmulator emulator() {
    return cloudinary.emulator();
  }

  /** The class's S3 store (its objects under the prefix given at construction). */
  DocumentStore s3() {
    if (s3 == null) {
      throw new IllegalStateException("no S3 store of the class: construct with a key prefix");
    }
    return s3;
  }

  /** A fresh H2 ledger and stores for one test, its S3 objects under {@code s3Prefix}. */
  Opened open(String s3Prefix) {
    DocumentStore realS3 = Harness.s3(embeddedS3.s3(), s3Prefix);
    CountingStore s3 = new CountingStore(realS3);
    return new Opened(Runs.h2Ledger(), Harness.cloudinary(emulator()), realS3, s3);
  }
}
