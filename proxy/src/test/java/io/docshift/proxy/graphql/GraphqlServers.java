package io.docshift.proxy.graphql;

import io.docshift.sandbox.emulator.CloudinaryEmulator;
import io.docshift.sandbox.s3.EmbeddedS3;
import io.docshift.testkit.CloudinaryEmulatorExtension;
import io.docshift.testkit.EmbeddedS3Extension;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The Cloudinary emulator and the embedded S3 shared by every GraphQL test class of one JVM:
 * started by the first class, kept in the root {@link ExtensionContext.Store} and stopped when the
 * run ends. Tests stay independent because each {@link GraphqlFixture} has its own ledger, S3 key
 * prefix and budget, and every test seeds its own public ids; what they read from the emulator they
 * read as differences (Admin API calls before and after). Register as a static field:
 *
 * <pre>{@code @RegisterExtension static final GraphqlServers SHARED = new GraphqlServers();}</pre>
 */
final class GraphqlServers implements BeforeAllCallback {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(GraphqlServers.class);

  private Running running;

  @Override
  public void beforeAll(ExtensionContext context) {
    running =
        context
            .getRoot()
            .getStore(NAMESPACE)
            .getOrComputeIfAbsent(Running.class, type -> Running.start(context), Running.class);
  }

  CloudinaryEmulator emulator() {
    return running().cloudinary.emulator();
  }

  EmbeddedS3 s3() {
    return running().s3.s3();
  }

  private Running running() {
    if (running == null) {
      throw new IllegalStateException("shared servers are not running: register the extension");
    }
    return running;
  }

  /** The servers, stopped by JUnit when the root context closes. */
  private record Running(CloudinaryEmulatorExtension cloudinary, EmbeddedS3Extension s3)
      implements AutoCloseable {
    static Running start(ExtensionContext context) {
      CloudinaryEmulatorExtension cloudinary = new CloudinaryEmulatorExtension();
      EmbeddedS3Extension s3 = new EmbeddedS3Extension();
      cloudinary.beforeAll(context);
      s3.beforeAll(context);
      return new Running(cloudinary, s3);
    }

    @Override
    public void close() {
      try {
        s3.afterAll(null);
      } finally {
        cloudinary.afterAll(null);
      }
    }
  }
}
