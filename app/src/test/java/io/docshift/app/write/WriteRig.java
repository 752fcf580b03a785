package io.docshift.app.write;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.app.CliHarness;
import io.docshift.app.node.ProxyNode;
import io.docshift.app.node.StartedParts;
import io.docshift.app.sandbox.SandboxRunner;
import io.docshift.core.config.CloudinaryConfig;
import io.docshift.core.config.DocShiftConfig;
import io.docshift.core.config.WriteMode;
import io.docshift.ledger.DocumentRecord;
import io.docshift.ledger.Ledger;
import io.docshift.ledger.LedgerSettings;
import io.docshift.ledger.S3State;
import io.docshift.testkit.TcpRelay;
import io.docshift.testkit.TempDirs;
import io.docshift.traffic.control.TrafficChange;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The write path's test bed: a sandbox (emulator, S3Proxy, H2 ledger; its own proxy idle and its
 * repair worker off, so only the test drains the outbox) and a DocShift node of the test's own
 * whose S3 and Cloudinary API calls go through {@link FaultGate}s. SDKs point {@code upload_prefix}
 * at that node; {@link #stores()} looks at the real parts directly.
 *
 * <p>Once per test class, over a throwaway directory, registered as a static field (the class's own
 * {@code @BeforeAll} methods run after it started, so they may set the write mode):
 *
 * <pre>{@code @RegisterExtension static final WriteRig rig = WriteRig.gated();}</pre>
 *
 * <p>After each test it heals both fault gates, so a fault a test injected ends with that test.
 *
 * <p>or started and closed by the test itself over a directory of its own ({@link #start}).
 */
final class WriteRig
    implements AutoCloseable, BeforeAllCallback, AfterEachCallback, AfterAllCallback {
  /** The node's upload limit: above the 30 MiB chunked upload's chunks, far below RAM. */
  static final long MAX_BODY_BYTES = 40L * 1024 * 1024;

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final StartedParts parts = new StartedParts();
  private final boolean gated;
  private final Map<String, String> ledgerKeys;
  private final Map<String, String> sandboxKeys;
  private WriteMode initialMode;
  private Supplier<TcpRelay.Rule> cloudinaryRules;
  private Path dir;
  private SandboxRunner sandbox;
  private FaultGate s3Gate;
  private FaultGate cloudinaryGate;
  private ProxyNode node;
  private ProxyNode second;
  private DocShiftConfig nodeConfig;
  private Ledger ledger;
  private StoreProbe stores;
  private RigCommands commands;

  private WriteRig(boolean gated, Map<String, String> ledgerKeys, Map<String, String> sandboxKeys) {
    this.gated = gated;
    this.ledgerKeys = Map.copyOf(ledgerKeys);
    this.sandboxKeys = Map.copyOf(sandboxKeys);
  }

  /** A rig for one test class (see above), its node's calls through fault gates. */
  static WriteRig gated() {
    return new WriteRig(true, Map.of(), Map.of());
  }

  /**
   * The same with the node talking to the stores directly (no gates: {@link #s3Gate()} and {@link
   * #cloudinaryGate()} are null), for requests a WireMock proxy would not pass on as they are.
   */
  static WriteRig ungated() {
    return new WriteRig(false, Map.of(), Map.of());
  }

  /**
   * An ungated rig whose node reaches Cloudinary's API through a {@link TcpRelay} under {@code
   * rules} (S3 directly), for requests whose bytes a test must watch or cut as they stream; the
   * node spools into {@link #spoolDir()}.
   */
  static WriteRig relayed(Supplier<TcpRelay.Rule> rules) {
    WriteRig rig = ungated();
    rig.cloudinaryRules = rules;
    return rig;
  }

  /**
   * The gated rig with the nodes' configuration overridden by {@code ledgerKeys}, e.g. {@code
   * ledger.url} and {@code ledger.user} of a PostgreSQL (the sandbox's own idle proxy and {@link
   * #repairOnce} keep the H2 ledger).
   */
  static WriteRig gatedWith(Map<String, String> ledgerKeys) {
    return new WriteRig(true, ledgerKeys, Map.of());
  }

  /** The gated rig over a sandbox started with {@code sandboxKeys} (e.g. {@code sandbox.*}). */
  static WriteRig gatedWithSandbox(Map<String, String> sandboxKeys) {
    return new WriteRig(true, Map.of(), sandboxKeys);
  }

  /**
   * A {@link #gatedWith} rig started over {@code dir} for a test that closes it itself; a failed
   * start leaves nothing running.
   */
  static WriteRig start(Path dir, Map<String, String> ledgerKeys) {
    WriteRig rig = gatedWith(ledgerKeys);
    rig.startIn(dir);
    return rig;
  }

  /** The {@link #start(Path, Map)} keys of a ledger on the embedded PostgreSQL {@code postgres}. */
  static Map<String, String> ledgerOn(
      io.zonky.test.db.postgres.embedded.EmbeddedPostgres postgres) {
    return Map.of(
        "ledger.url", postgres.getJdbcUrl("postgres", "postgres"), "ledger.user", "postgres");
  }

  /** The same rig, switched to {@code mode} as soon as it started. */
  WriteRig inMode(WriteMode mode) {
    initialMode = mode;
    return this;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    startIn(TempDirs.create("docshift-write-rig-"));
    if (initialMode != null) {
      mode(initialMode);
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (gated) {
      s3Gate.heal();
      cloudinaryGate.heal();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    Path started = dir;
    try {
      close();
    } finally {
      TempDirs.delete(started);
    }
  }

  private void startIn(Path dir) {
    if (node != null) {
      throw new IllegalStateException("the rig is running already");
    }
    this.dir = dir;
    try {
      startParts();
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  private void startParts() {
    Map<String, String> overrides = new HashMap<>(CliHarness.ephemeralSandbox(0));
    overrides.put("repair.enabled", "false");
    overrides.putAll(sandboxKeys);
    sandbox = parts.add(SandboxRunner.start(dir.resolve("sandbox"), null, overrides, line -> {}));
    DocShiftConfig direct =
        DocShiftConfig.builder().file(sandbox.configFile()).overrides(ledgerKeys).build();
    DocShiftConfig.Builder config =
        DocShiftConfig.builder().file(sandbox.configFile()).overrides(ledgerKeys);
    if (gated) {
      s3Gate = parts.add(new FaultGate(direct.s3().endpoint().orElseThrow()));
      cloudinaryGate = parts.add(new FaultGate(direct.cloudinary().apiUrl()));
      config
          .override("s3.endpoint", s3Gate.url().toString())
          .override("cloudinary.apiUrl", cloudinaryGate.url().toString());
    }
    if (cloudinaryRules != null) {
      TcpRelay relay = parts.add(relay(direct.cloudinary().apiUrl(), cloudinaryRules));
      config
          .override("cloudinary.apiUrl", relay.url().toString())
          .override("proxy.spoolDir", spoolDir().toString());
    }
    ledger = parts.add(Ledger.open(LedgerSettings.builder(direct).build()));
    nodeConfig =
        config
            .override("proxy.port", "0")
            .override("admin.port", "0")
            .override("proxy.maxUploadBodyBytes", Long.toString(MAX_BODY_BYTES))
            .build();
    node = parts.add(ProxyNode.start(nodeConfig, ledger));
    // Injected faults must not trip auto-revert: it would change the write mode under the test.
    node.traffic()
        .set(TrafficChange.builder().autoRevertEnabled(false).build(), "test", "fault tests");
    stores = parts.add(new StoreProbe(direct, ledger));
    commands =
        new RigCommands(
            sandbox.configFile(), dir.resolve("backfill-spool"), s3Gate, cloudinaryGate);
  }

  private static TcpRelay relay(URI target, Supplier<TcpRelay.Rule> rules) {
    try {
      return TcpRelay.start(target, rules);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Where a {@link #relayed} rig's node spools request bodies. */
  Path spoolDir() {
    return dir.resolve("node-spool");
  }

  /** Switches the live write mode (effective for the next request, on every node). */
  void mode(WriteMode mode) {
    node.traffic().set(TrafficChange.builder().writeMode(mode).build(), "test", "write test");
    if (second != null) {
      second.traffic().set(TrafficChange.builder().writeMode(mode).build(), "test", "write test");
    }
  }

  /**
   * Starts a second DocShift node on the same stores and ledger (another instance of a fleet, with
   * its own read cache and write queue); returns its proxy URL.
   */
  URI startSecondNode() {
    if (second == null) {
      second = parts.add(ProxyNode.start(nodeConfig, ledger));
      second
          .traffic()
          .set(TrafficChange.builder().autoRevertEnabled(false).build(), "test", "fault tests");
    }
    return URI.create("http://127.0.0.1:" + second.proxyPort());
  }

  /** Sets the S3 read weight (percent of documents read from S3 when their copy is verified). */
  void readWeight(int percent) {
    node.traffic()
        .set(TrafficChange.builder().s3ReadPercent(percent).build(), "test", "read weight");
  }

  /**
   * {@code GET} of a delivery path ({@code {rt}/upload/{public_id}[.{format}]}) through the node.
   */
  HttpResponse<byte[]> get(String path) throws Exception {
    URI url = URI.create(proxyUrl() + "/" + stores.cloud() + "/" + path);
    return HTTP.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /** Applies a traffic change to the node (effective for the next request). */
  void traffic(TrafficChange change) {
    node.traffic().set(change, "test", "write test");
  }

  /** A {@code CLOUDINARY_URL} for this account whose {@code upload_prefix} is the node. */
  String cloudinaryUrl() {
    return cloudinaryUrl(stores.config().cloudinary().apiSecret());
  }

  /** The same with another API secret (to make the SDK sign wrongly). */
  String cloudinaryUrl(String secret) {
    return cloudinaryUrl(stores.config().cloudinary(), secret, proxyUrl());
  }

  /**
   * A {@code CLOUDINARY_URL} for {@code account} signing with {@code secret}, uploading to {@code
   * uploadPrefix}.
   */
  static String cloudinaryUrl(CloudinaryConfig account, String secret, URI uploadPrefix) {
    return "cloudinary://"
        + account.apiKey()
        + ":"
        + secret
        + "@"
        + account.cloudName()
        + "?upload_prefix="
        + uploadPrefix;
  }

  /** The sandbox's {@code docshift.conf}, for {@code docshift serve} children on the same parts. */
  Path configFile() {
    return sandbox.configFile();
  }

  URI proxyUrl() {
    return URI.create("http://127.0.0.1:" + node.proxyPort());
  }

  FaultGate s3Gate() {
    return s3Gate;
  }

  FaultGate cloudinaryGate() {
    return cloudinaryGate;
  }

  StoreProbe stores() {
    return stores;
  }

  /**
   * {@code docshift repair --once} until none of the raw {@code ids} has a repair row, within 60 s.
   */
  void drain(String... ids) throws Exception {
    drain(Arrays.stream(ids).map(Doc::raw).toArray(Doc[]::new));
  }

  /**
   * {@code docshift repair --once}, every row made due first, until none of {@code docs} has a
   * repair row, within 60 s.
   */
  void drain(Doc... docs) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (outboxRows(docs) > 0) {
      assertThat(System.nanoTime())
          .as("outbox drained in time: %s", stores.outboxRows())
          .isLessThan(deadline);
      stores.outboxDueNow();
      commands.repairOnce();
    }
  }

  private int outboxRows(Doc... docs) throws Exception {
    int rows = 0;
    for (Doc doc : docs) {
      rows += stores.outbox(doc.rt(), doc.publicId()).size();
    }
    return rows;
  }

  /** Both stores hold {@code body} (or nothing, when null) and the ledger says exactly that. */
  void assertHolds(String id, byte[] body) throws Exception {
    String path = Doc.raw(id).path();
    String expected = sha(body);
    assertThat(sha(stores.s3(path))).as("S3 %s", id).isEqualTo(expected);
    assertThat(sha(stores.cloudinary(path))).as("Cloudinary %s", id).isEqualTo(expected);
    DocumentRecord row = stores.row("raw", id).orElseThrow();
    if (body == null) {
      assertThat(row.state()).as("ledger %s", id).isEqualTo(S3State.DELETED);
    } else {
      assertThat(row.state()).as("ledger %s", id).isEqualTo(S3State.VERIFIED);
      assertThat(row.s3().sha256()).as("ledger %s", id).isEqualTo(expected);
    }
  }

  static String sha(byte[] bytes) {
    return bytes == null ? null : Bodies.sha256(bytes);
  }

  /** The {@code docshift} commands against this rig's sandbox. */
  RigCommands cli() {
    return commands;
  }

  /** Stops the node, the gates and the sandbox, newest first; the rig may then start again. */
  @Override
  public void close() {
    parts.close();
    node = null;
    second = null;
  }
}
