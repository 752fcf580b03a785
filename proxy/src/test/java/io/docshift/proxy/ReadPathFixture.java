package io.docshift.proxy;

import io.docshift.core.config.AutoRevertSettings;
import io.docshift.core.config.DocShiftConfig;
import io.docshift.core.config.StoreSettings;
import io.docshift.core.config.WriteMode;
import io.docshift.core.key.DocumentKey;
import io.docshift.core.metrics.MetricsRecorder;
import io.docshift.core.metrics.MicrometerMetricsRecorder;
import io.docshift.ledger.Ledger;
import io.docshift.ledger.LedgerSettings;
import io.docshift.sandbox.emulator.CloudinaryEmulator;
import io.docshift.sandbox.emulator.StoredAsset;
import io.docshift.sandbox.s3.EmbeddedS3;
import io.docshift.stores.s3.S3DocumentStore;
import io.docshift.testkit.EmulatedAssets;
import io.docshift.testkit.SandboxConfigKeys;
import io.docshift.testkit.SettableTrafficState;
import io.docshift.traffic.TrafficState;
import io.docshift.traffic.control.TrafficControl;
import io.docshift.traffic.control.TrafficControlState;
import io.docshift.traffic.ff4j.Ff4jTrafficStore;
import io.docshift.traffic.revert.S3Evidence;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The read path wired exactly as {@code docshift serve} wires it ({@link ProxyRuntime}), against
 * the real emulator, S3Proxy (optionally behind a fault injector) and an in-memory H2 ledger.
 */
final class ReadPathFixture implements AutoCloseable {
  final CloudinaryEmulator emulator;
  final Ledger ledger;
  final SettableTrafficState traffic =
      new SettableTrafficState(new TrafficState(0, WriteMode.CLOUDINARY_ONLY, 0));

  /** The live traffic control with auto-revert, when built {@link #withAutoRevert}; else null. */
  final TrafficControl control;

  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final S3DocumentStore s3Writer;
  final ProxyRuntime proxy;
  final DocShiftConfig config;

  ReadPathFixture(
      CloudinaryEmulator emulator, EmbeddedS3 s3, URI s3Endpoint, Map<String, String> extra) {
    this(emulator, s3, s3Endpoint, extra, null);
  }

  /**
   * The proxy with both stores at {@code backend} (every store call lands on the stub, so a test
   * can assert that none was made), plus {@code extra} settings.
   */
  static ReadPathFixture overStub(
      CloudinaryEmulator emulator, EmbeddedS3 s3, StubBackend backend, Map<String, String> extra) {
    Map<String, String> keys = new LinkedHashMap<>(extra);
    keys.put("cloudinary.apiUrl", backend.url().toString());
    keys.put("cloudinary.deliveryUrl", backend.url() + "/{cloudName}");
    return new ReadPathFixture(emulator, s3, backend.url(), keys);
  }

  /**
   * The read path obeying a real {@link TrafficControl} (ff4j store on the fixture's ledger,
   * background work inline) that starts at {@code initial}, with auto-revert fed by the request
   * metrics as {@code docshift serve} wires it; {@link #weight} does not apply.
   */
  static ReadPathFixture withAutoRevert(
      CloudinaryEmulator emulator,
      EmbeddedS3 s3,
      URI s3Endpoint,
      Map<String, String> extra,
      TrafficState initial,
      AutoRevertSettings autoRevert) {
    return new ReadPathFixture(
        emulator, s3, s3Endpoint, extra, TrafficControlState.initial(initial, autoRevert));
  }

  private ReadPathFixture(
      CloudinaryEmulator emulator,
      EmbeddedS3 s3,
      URI s3Endpoint,
      Map<String, String> extra,
      TrafficControlState controlled) {
    this.emulator = emulator;
    Map<String, String> keys = SandboxConfigKeys.of(emulator, s3Endpoint, "read");
    keys.put("proxy.port", "0");
    keys.putAll(extra);
    this.config = DocShiftConfig.builder().overrides(keys).build();
    this.ledger = Ledger.open(LedgerSettings.builder(config).build());
    this.s3Writer =
        S3DocumentStore.create(
            StoreSettings.s3(
                    DocShiftConfig.builder()
                        .overrides(config.asProperties())
                        .overrides(
                            Map.of(
                                "s3.endpoint",
                                s3.endpoint().toString(),
                                "s3.secretKey",
                                s3.secretKey()))
                        .build()
                        .s3())
                .build());
    MetricsRecorder metrics = new MicrometerMetricsRecorder(registry);
    if (controlled == null) {
      this.control = null;
      this.proxy = ProxyRuntime.start(config, ledger, traffic, metrics, S3Evidence.NONE);
    } else {
      this.control =
          TrafficControl.builder(
                  Ff4jTrafficStore.open(ledger.dataSource(), controlled), ledger.audit())
              .executor(Runnable::run)
              .build();
      this.proxy = ProxyRuntime.start(config, ledger, control, metrics, control.guard());
    }
  }

  URI url(String path) {
    return URI.create("http://127.0.0.1:" + proxy.port() + path);
  }

  void weight(int percent) {
    traffic.update(s -> s.withS3ReadPercent(percent));
  }

  StoredAsset seed(String resourceType, String type, String publicId, byte[] bytes) {
    return EmulatedAssets.seed(emulator, resourceType, type, publicId, bytes);
  }

  static DocumentKey key(StoredAsset a) {
    return EmulatedAssets.documentKey(a);
  }

  /** Copies the original into S3 (as the backfill would) and marks the ledger row verified. */
  void copyToS3(StoredAsset a, byte[] bytes, String contentType) throws Exception {
    EmulatedAssets.copyVerified(s3Writer, ledger, a, bytes, contentType);
  }

  double fallbacks() {
    return registry.find(MicrometerMetricsRecorder.FALLBACKS).counters().stream()
        .mapToDouble(c -> c.count())
        .sum();
  }

  @Override
  public void close() {
    try {
      proxy.close();
      if (control != null) {
        control.close();
      }
    } finally {
      s3Writer.close();
      ledger.close();
    }
  }
}
