import io.docshift.core.config.DocShiftConfig;
import io.docshift.core.config.StoreSettings;
import io.docshift.core.config.WriteMode;
import io.docshift.core.key.DeliveryType;
import io.docshift.core.key.DocumentKey;
import io.docshift.core.key.ResourceType;
import io.docshift.ledger.CloudinaryAsset;
import io.docshift.ledger.Ledger;
import io.docshift.ledger.LedgerKey;
import io.docshift.ledger.LedgerSettings;
import io.docshift.ledger.UpsertOrigin;
import io.docshift.core.config.AutoRevertSettings;
import io.docshift.core.store.PutRequest;
import io.docshift.stores.s3.S3DocumentStore;
import io.docshift.traffic.TrafficState;
import io.docshift.traffic.control.TrafficControl;
import io.docshift.traffic.control.TrafficControlState;
import io.docshift.traffic.ff4j.Ff4jTrafficStore;
import io.docshift.proxy.graphql.CostRules;
import io.docshift.proxy.graphql.GraphqlEndpoint;
import io.docshift.proxy.graphql.GraphqlEndpoints;
import io.docshift.sandbox.emulator.CloudinaryEmulator;
import io.docshift.sandbox.emulator.EmulatorConfig;
import io.docshift.sandbox.emulator.SeedRequest;
import io.docshift.sandbox.emulator.StoredAsset;
import io.docshift.sandbox.s3.EmbeddedS3;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.core.async.AsyncRequestBody;

/**
 * The GraphQL benchmark (see bench-graphql.sh): one folder query for DOCS documents with ledger,
 * Cloudinary and S3 fields, against the emulator, S3Proxy and an H2 ledger in this JVM, through
 * two endpoints on the same data: DataLoader batching on, and the naive switch (one upstream call
 * per field per document). Rounds alternate between the two so both see the same machine.
 */
public class GraphqlBench {
  public static void main(String[] args) throws Exception {
    int docs = Integer.parseInt(System.getenv().getOrDefault("DOCS", "100"));
    int rounds = Integer.parseInt(System.getenv().getOrDefault("ROUNDS", "40"));
    Path dir = Files.createTempDirectory("docshift-bench-graphql-");
    // The emulator's and S3Proxy's files go with the run, however it ends.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
    try (CloudinaryEmulator cld =
            CloudinaryEmulator.start(
                EmulatorConfig.builder().dataDir(dir.resolve("cld")).adminCallsPerHour(0).build());
        EmbeddedS3 s3 = EmbeddedS3.start(dir.resolve("s3"), "127.0.0.1", 0, "bench", "ak", "sk")) {
      DocShiftConfig config =
          DocShiftConfig.builder()
              .overrides(
                  Map.of(
                      "cloudinary.cloudName", cld.config().cloudName(),
                      "cloudinary.apiKey", cld.config().apiKey(),
                      "cloudinary.apiSecret", cld.config().apiSecret(),
                      "cloudinary.apiUrl", cld.baseUrl().toString(),
                      "s3.endpoint", s3.endpoint().toString(),
                      "s3.bucket", "bench",
                      "s3.accessKey", "ak",
                      "s3.secretKey", "sk",
                      "s3.pathStyle", "true",
                      "ledger.url", "jdbc:h2:mem:bench;DB_CLOSE_DELAY=-1"))
              .build();
      try (Ledger ledger = Ledger.open(LedgerSettings.builder(config).build())) {
        seed(cld, config, ledger, docs);
        TrafficControl control =
            TrafficControl.builder(
                    Ff4jTrafficStore.open(
                        ledger.dataSource(),
                        TrafficControlState.initial(
                            new TrafficState(50, WriteMode.DUAL_CLOUDINARY_PRIMARY, 0),
                            AutoRevertSettings.defaults())),
                    ledger.audit())
                .build();
        CostRules rules = new CostRules(1500, 8, 100, 1_000_000_000L, 1e9);
        try (GraphqlEndpoint batched = open(config, ledger, control, rules, true);
            GraphqlEndpoint naive = open(config, ledger, control, rules, false)) {
          run(cld, batched, naive, docs, rounds);
        }
        control.close();
      }
    }
  }

  static GraphqlEndpoint open(
      DocShiftConfig config, Ledger ledger, TrafficControl control, CostRules rules, boolean batching) {
    S3DocumentStore store = S3DocumentStore.create(StoreSettings.s3(config.s3()).build());
    return GraphqlEndpoints.open(config, ledger, control, store, rules, Clock.systemUTC(), batching);
  }

  static void seed(CloudinaryEmulator cld, DocShiftConfig config, Ledger ledger, int docs) throws Exception {
    try (S3DocumentStore writer = S3DocumentStore.create(StoreSettings.s3(config.s3()).build())) {
      for (int i = 0; i < docs; i++) {
        byte[] bytes = ("%PDF-1.4 credential " + i).getBytes(StandardCharsets.UTF_8);
        StoredAsset a =
            cld.seed(
                SeedRequest.builder()
                    .resourceType("raw")
                    .type("upload")
                    .publicId(String.format("credentials/doc-%03d.pdf", i))
                    .content(new ByteArrayInputStream(bytes))
                    .build());
        String md5 = hex("MD5", bytes);
        String sha = hex("SHA-256", bytes);
        DocumentKey key =
            DocumentKey.of(cld.config().cloudName(), ResourceType.RAW, DeliveryType.UPLOAD, a.publicId(), null);
        writer
            .put(key, new PutRequest(bytes.length, "application/pdf", Optional.of(md5), Optional.of(sha),
                OptionalLong.of(a.version()), AsyncRequestBody.fromBytes(bytes)))
            .get(30, TimeUnit.SECONDS);
        LedgerKey lk = new LedgerKey(cld.config().cloudName(), "raw", "upload", a.publicId());
        ledger.documents().upsert(new CloudinaryAsset(lk, null, a.version(), a.etag(), a.bytes()), UpsertOrigin.LISTING);
        ledger.documents().markCopied(lk, a.version(), md5, sha);
        ledger.documents().markVerified(lk, a.version(), md5, sha);
      }
    }
  }

  static void run(CloudinaryEmulator cld, GraphqlEndpoint batched, GraphqlEndpoint naive, int docs, int rounds) {
    String query =
        "{\"query\":\"{ documents(prefix: \\\"credentials/\\\", first: " + docs + ") { edges { node {"
            + " publicId state ledger { bytes etag } cloudinary { bytes etag version }"
            + " s3 { size etag } consistent { consistent reason } } } } }\"}";
    List<Long> b = new ArrayList<>();
    List<Long> n = new ArrayList<>();
    long[] calls = new long[2];
    String[] last = new String[2];
    for (int round = -5; round < rounds; round++) {
      boolean batchedFirst = round % 2 == 0;
      for (int k = 0; k < 2; k++) {
        boolean isBatched = (k == 0) == batchedFirst;
        GraphqlEndpoint endpoint = isBatched ? batched : naive;
        long before = cld.adminApiCalls();
        long[] took = new long[1];
        String body = timed(endpoint, query, took);
        if (round >= 0) {
          (isBatched ? b : n).add(took[0]);
          calls[isBatched ? 0 : 1] += cld.adminApiCalls() - before;
          last[isBatched ? 0 : 1] = body;
        }
      }
    }
    System.out.printf("documents per query: %d, rounds: %d (after 5 warm-up rounds)%n", docs, rounds);
    report("batched", b, calls[0], rounds, last[0]);
    report("naive", n, calls[1], rounds, last[1]);
    System.out.printf("p50 %.0f %% lower batched, p99 %.0f %% lower batched%n",
        100.0 * (1 - pct(b, 50) / pct(n, 50)), 100.0 * (1 - pct(b, 99) / pct(n, 99)));
    breakdown(batched, docs, rounds);
  }

  /**
   * Where the batched time goes: the same page with one kind of field added at a time (the
   * difference between two lines is what that kind costs), timed like the main run.
   */
  static void breakdown(GraphqlEndpoint batched, int docs, int rounds) {
    String[] fields = {
      "publicId", "publicId state ledger { bytes etag }", "publicId cloudinary { bytes etag version }",
      "publicId s3 { size etag }",
      "publicId state ledger { bytes etag } cloudinary { bytes etag version } s3 { size etag }"
          + " consistent { consistent reason }"
    };
    System.out.println("batched breakdown (p50 / p99 of " + rounds + " rounds):");
    for (String f : fields) {
      String query =
          "{\"query\":\"{ documents(prefix: \\\"credentials/\\\", first: " + docs
              + ") { edges { node { " + f + " } } } }\"}";
      List<Long> t = new ArrayList<>();
      for (int round = -3; round < rounds; round++) {
        long[] took = new long[1];
        timed(batched, query, took);
        if (round >= 0) {
          t.add(took[0]);
        }
      }
      System.out.printf("  %7.1f ms / %7.1f ms  %s%n", pct(t, 50), pct(t, 99), f);
    }
  }

  /** One query through {@code endpoint}; its time in {@code took[0]}, its body returned. */
  static String timed(GraphqlEndpoint endpoint, String query, long[] took) {
    long start = System.nanoTime();
    GraphqlEndpoint.Answer answer = endpoint.handle("POST", "/graphql", query, "bench");
    took[0] = System.nanoTime() - start;
    if (answer.status() != 200 || answer.body().contains("\"errors\"")) {
      throw new IllegalStateException("query failed: " + answer.body());
    }
    return answer.body();
  }

  static void report(String name, List<Long> nanos, long calls, int rounds, String body) {
    String spent = body.substring(body.indexOf("\"spent\""));
    System.out.printf("%-8s p50 %7.1f ms  p99 %7.1f ms  Admin API calls/query %5.1f  %s%n",
        name, pct(nanos, 50), pct(nanos, 99), (double) calls / rounds, spent.trim());
  }

  static double pct(List<Long> nanos, int p) {
    List<Long> sorted = new ArrayList<>(nanos);
    Collections.sort(sorted);
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, index)) / 1e6;
  }

  static String hex(String algorithm, byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
  }

  private static void deleteTree(Path dir) {
    try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (java.io.IOException e) {
      System.err.println("bench: " + dir + " not removed: " + e);
    }
  }
}
