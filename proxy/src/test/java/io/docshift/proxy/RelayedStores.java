package io.docshift.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.core.store.DocumentResponse;
import io.docshift.ledger.S3State;
import io.docshift.sandbox.emulator.CloudinaryEmulator;
import io.docshift.sandbox.emulator.StoredAsset;
import io.docshift.sandbox.s3.EmbeddedS3;
import io.docshift.testkit.CloudinaryEmulatorExtension;
import io.docshift.testkit.EmbeddedS3Extension;
import io.docshift.testkit.EmulatedAssets;
import io.docshift.testkit.SlowSubscriber;
import io.docshift.testkit.TestBodies;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The real emulator and embedded S3 once per test class, for tests that put fault-injecting relays
 * between them and proxies: what the class opens on them ({@link #opened}, {@link #proxy}) is
 * closed newest first after its tests, before the stores stop. Also the reads and end-state checks
 * those tests share. Register as a static field; open relays and proxies in {@code @BeforeAll}.
 */
final class RelayedStores implements BeforeAllCallback, AfterAllCallback {
  static final HttpClient HTTP = HttpClient.newHttpClient();

  private final CloudinaryEmulatorExtension cloudinary = new CloudinaryEmulatorExtension();
  private final EmbeddedS3Extension s3 = new EmbeddedS3Extension();
  private final Deque<AutoCloseable> opened = new ArrayDeque<>();

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    cloudinary.beforeAll(context);
    s3.beforeAll(context);
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    try {
      closeOpened();
    } finally {
      s3.afterAll(context);
      cloudinary.afterAll(context);
    }
  }

  private void closeOpened() throws Exception {
    Exception first = null;
    for (AutoCloseable c = opened.pollFirst(); c != null; c = opened.pollFirst()) {
      try {
        c.close();
      } catch (Exception e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  CloudinaryEmulator emulator() {
    return cloudinary.emulator();
  }

  EmbeddedS3 s3() {
    return s3.s3();
  }

  /** {@code part}, closed after the class's tests (newest first). */
  <T extends AutoCloseable> T opened(T part) {
    opened.push(part);
    return part;
  }

  /** A proxy reaching S3 at {@code s3Endpoint} (a relay), at S3 read weight 100. */
  ReadPathFixture proxy(URI s3Endpoint, Map<String, String> extra) {
    ReadPathFixture f = opened(new ReadPathFixture(emulator(), s3(), s3Endpoint, extra));
    f.weight(100);
    return f;
  }

  /** Seeds {@code doc} in the emulator and copies it to S3 with a verified ledger row. */
  static StoredAsset seeded(ReadPathFixture f, String publicId, byte[] doc) throws Exception {
    StoredAsset a = f.seed("raw", "upload", publicId, doc);
    f.copyToS3(a, doc, "application/pdf");
    return a;
  }

  static HttpResponse<byte[]> fetch(ReadPathFixture f, String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(f.url(path)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  /** S3 still holds the same bytes, and the ledger row is still verified. */
  static void assertUntouched(ReadPathFixture f, StoredAsset a, byte[] doc) throws Exception {
    DocumentResponse inS3 =
        f.s3Writer.get(ReadPathFixture.key(a), Optional.empty()).get(30, TimeUnit.SECONDS);
    assertThat(TestBodies.sha256Hex(SlowSubscriber.collect(inS3.body()).get(30, TimeUnit.SECONDS)))
        .isEqualTo(TestBodies.sha256Hex(doc));
    assertThat(f.ledger.documents().find(EmulatedAssets.ledgerKey(a)).orElseThrow().state())
        .isEqualTo(S3State.VERIFIED);
  }

  /** The emulator, asked directly, still serves {@code doc} at {@code path}. */
  void assertCloudinaryHolds(String path, byte[] doc) throws Exception {
    HttpResponse<byte[]> inCloudinary =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(emulator().baseUrl() + path)).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(TestBodies.sha256Hex(inCloudinary.body())).isEqualTo(TestBodies.sha256Hex(doc));
  }

  /** The response headers that must not depend on which store served, but for {@code also}. */
  static Map<String, List<String>> headers(HttpHeaders h, String... also) {
    Map<String, List<String>> kept = new TreeMap<>(h.map());
    kept.remove("date");
    kept.remove("x-request-id");
    for (String name : also) {
      kept.remove(name);
    }
    return kept;
  }
}
