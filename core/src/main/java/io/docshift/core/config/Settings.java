package io.docshift.core.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The catalog of every configuration key, in the order {@code docshift.conf} lists them. */
final class Settings {
  private static final ValueType PORT = ValueType.integer(0, 65535);
  private static final ValueType PERCENT = ValueType.integer(0, 100);
  private static final ValueType TIMEOUT_MILLIS = ValueType.integer(1, 3_600_000);
  private static final ValueType HOST =
      ValueType.matching("host name or IP address", "[A-Za-z0-9.:\\[\\]_-]+");

  private static final ValueType HOST_OR_EMPTY =
      ValueType.matching("empty, host name or IP address", "|[A-Za-z0-9.:\\[\\]_-]+");
  private static final String OPERATOR_TOKEN = "[A-Za-z0-9_.@-]{1,64}:[\\x21-\\x2b\\x2d-\\x7e]{8,}";
  private static final String OPERATOR_TOKENS = "|" + OPERATOR_TOKEN + "(," + OPERATOR_TOKEN + ")*";
  private static final String TAG = "[a-z][a-z0-9_.-]*:[A-Za-z0-9_./-][A-Za-z0-9_.:/-]*";

  static final List<Setting> ALL = catalog();

  private static final Map<String, Setting> BY_KEY = index();

  private Settings() {}

  static Optional<Setting> find(String key) {
    return Optional.ofNullable(BY_KEY.get(key));
  }

  static Map<String, String> defaults() {
    Map<String, String> values = new LinkedHashMap<>();
    ALL.forEach(s -> values.put(s.key(), s.defaultValue()));
    return values;
  }

  private static Map<String, Setting> index() {
    Map<String, Setting> byKey = new LinkedHashMap<>();
    ALL.forEach(s -> byKey.put(s.key(), s));
    return Collections.unmodifiableMap(byKey);
  }

  private static List<Setting> catalog() {
    List<Setting> all = new ArrayList<>();
    cloudinaryAccount(all);
    cloudinaryEndpoints(all);
    s3Location(all);
    s3Access(all);
    ledger(all);
    serving(all);
    HedgeKeys.add(all);
    AutoRevertKeys.add(all);
    ShutdownKeys.add(all);
    sandbox(all);
    backfill(all);
    repair(all);
    metrics(all);
    datadog(all);
    shadow(all);
    CopyOnReadKeys.add(all);
    verify(all);
    return List.copyOf(all);
  }

  private static void cloudinaryAccount(List<Setting> all) {
    all.add(plain("cloudinary.cloudName", "", "Cloudinary cloud name; required to serve."));
    all.add(plain("cloudinary.apiKey", "", "Cloudinary API key."));
    all.add(secret("cloudinary.apiSecret", "Cloudinary API secret (signs Admin/Upload calls)."));
  }

  private static void cloudinaryEndpoints(List<Setting> all) {
    all.add(
        new Setting(
            "cloudinary.apiUrl",
            "https://api.cloudinary.com",
            "Upload/Admin API base URL (the SDKs' upload_prefix).",
            ValueType.httpUrl(false),
            false));
    all.add(
        new Setting(
            "cloudinary.deliveryUrl",
            "https://res.cloudinary.com/" + CloudinaryConfig.CLOUD_NAME_PLACEHOLDER,
            "Delivery base URL; {cloudName} is replaced (omit it for a private CDN host).",
            ValueType.httpUrl(false),
            false));
    all.add(
        new Setting(
            "cloudinary.signatureAlgorithm",
            "SHA1",
            "Hash for API request signatures, as the account is configured.",
            ValueType.oneOf(SignatureAlgorithm.class),
            false));
    all.add(
        typed(
            "cloudinary.requestTimeoutMillis",
            "30000",
            "Timeout for one Cloudinary request.",
            TIMEOUT_MILLIS));
    DeadlineKeys.cloudinary(all);
    TlsKeys.cloudinary(all);
  }

  private static void s3Location(List<Setting> all) {
    all.add(
        new Setting(
            "s3.endpoint",
            "",
            "S3 endpoint URL (LocalStack, MinIO, the sandbox); empty = AWS for the region.",
            ValueType.httpUrl(true),
            false));
    all.add(
        typed(
            "s3.region",
            "us-east-1",
            "AWS region of the bucket.",
            ValueType.matching("region name such as us-east-1", "[a-z0-9-]+")));
    all.add(
        typed(
            "s3.bucket",
            "",
            "Target bucket; required to serve.",
            ValueType.matching(
                "empty or bucket name (3-63 of a-z 0-9 . -)",
                "|[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")));
    all.add(
        typed(
            "s3.keyPrefix",
            "",
            "Prefix of every object key, e.g. docshift/ (no leading /).",
            ValueType.matching("empty or a prefix not starting with /", "|[^/].*")));
  }

  private static void s3Access(List<Setting> all) {
    all.add(
        plain("s3.accessKey", "", "Static access key; empty = the default AWS credential chain."));
    all.add(secret("s3.secretKey", "Static secret key; set together with s3.accessKey."));
    all.add(
        typed(
            "s3.pathStyle",
            "false",
            "Path-style bucket addressing (most non-AWS endpoints).",
            ValueType.bool()));
    all.add(
        typed("s3.requestTimeoutMillis", "30000", "Timeout for one S3 request.", TIMEOUT_MILLIS));
    DeadlineKeys.s3(all);
    TlsKeys.s3(all);
    all.add(
        typed(
            "s3.readClient",
            "NETTY",
            "Client of the proxy's S3 GETs and HEADs (reads and shadow reads) and of the"
                + " backfill's copies (Cloudinary downloads streamed into S3 PUTs): NETTY ="
                + " DocShift's own event loops and keep-alive connections, signed by the AWS SDK's"
                + " SigV4 signer; SDK = the AWS SDK's S3 client (and the JDK client for the"
                + " backfill's downloads). Either way the same credentials, answers and failure"
                + " kinds; every other S3 call uses the SDK.",
            ValueType.oneOf(S3ReadClient.class)));
    all.add(
        typed(
            "s3.maxConnections",
            "64",
            "Most connections open to S3 at once, per client: the SDK's, and the NETTY read"
                + " client's, split evenly over the event loops. A read that finds its loop's"
                + " share in use waits in line up to s3.connectTimeoutMillis, then falls back to"
                + " Cloudinary as an S3 timeout.",
            ValueType.integer(1, 100_000)));
  }

  private static void ledger(List<Setting> all) {
    all.add(
        typed(
            "ledger.url",
            "jdbc:h2:file:./data/ledger;AUTO_SERVER=TRUE",
            "Ledger JDBC URL: H2 file (shared by local processes) or PostgreSQL (fleets).",
            ValueType.matching(
                "JDBC URL starting with jdbc:h2: or jdbc:postgresql:", "jdbc:(h2|postgresql):.+")));
    all.add(plain("ledger.user", "sa", "Ledger database user."));
    all.add(secret("ledger.password", "Ledger database password."));
    all.add(
        typed(
            "ledger.maxPoolSize",
            "10",
            "Maximum pooled ledger connections per process.",
            ValueType.integer(1, 1000)));
    all.add(
        typed(
            "ledger.mismatchSampleLimit",
            "1000",
            "How many of the newest mismatch samples the ledger keeps.",
            ValueType.integer(1, 1_000_000)));
  }

  private static void serving(List<Setting> all) {
    all.add(typed("proxy.host", "127.0.0.1", "Address the proxy listens on.", HOST));
    all.add(typed("proxy.port", "8080", "Proxy port (0 = any free port).", PORT));
    proxyLimits(all);
    TlsKeys.proxy(all);
    WorkerKeys.proxy(all);
    all.add(
        typed("admin.host", "127.0.0.1", "Address the admin API and /metrics listen on.", HOST));
    all.add(typed("admin.port", "9090", "Admin API port (0 = any free port).", PORT));
    all.add(
        secret(
            "admin.token", "Bearer token the admin API requires; empty = admin API refuses all."));
    all.add(
        new Setting(
            "admin.operatorTokens",
            "",
            "Per-operator bearer tokens, name:token[,name:token...]; the audit names the token's"
                + " owner (admin.token is owned by \"admin\").",
            ValueType.matching("empty, or name:token pairs separated by commas", OPERATOR_TOKENS),
            true));
    TlsKeys.admin(all);
    all.add(
        typed(
            "traffic.s3ReadPercent",
            "0",
            "Initial S3 read weight, used until the shared traffic state is first set.",
            PERCENT));
    all.add(
        typed(
            "traffic.writeMode",
            "CLOUDINARY_ONLY",
            "Initial write mode, used until the shared traffic state is first set.",
            ValueType.oneOf(WriteMode.class)));
    all.add(
        typed(
            "traffic.shadowPercent",
            "0",
            "Initial shadow-read sample rate, used until the shared traffic state is first set.",
            PERCENT));
  }

  private static void proxyLimits(List<Setting> all) {
    all.add(
        typed(
            "proxy.maxRequestLineBytes",
            "8192",
            "Longest request line the proxy accepts; longer gets 414.",
            ValueType.integer(256, 65_536)));
    all.add(
        typed(
            "proxy.maxHeaderBytes",
            "16384",
            "Largest request header section the proxy accepts; larger gets 431.",
            ValueType.integer(1024, 1_048_576)));
    all.add(
        typed(
            "proxy.idleTimeoutMillis",
            "60000",
            "Close a client connection with no reads or writes for this long.",
            TIMEOUT_MILLIS));
    all.add(
        typed(
            "proxy.headerReadTimeoutMillis",
            "10000",
            "Close a connection whose request headers take longer than this to arrive.",
            TIMEOUT_MILLIS));
    all.add(
        typed(
            "proxy.s3FirstByteTimeoutMillis",
            "2000",
            "Longest wait for S3's response before the read falls back to Cloudinary.",
            TIMEOUT_MILLIS));
    all.add(
        typed(
            "proxy.ledgerCacheTtlMillis",
            "5000",
            "How long a cached ledger row decides whether S3 may serve a document.",
            TIMEOUT_MILLIS));
    all.add(
        typed(
            "proxy.ledgerCacheMaxEntries",
            "100000",
            "Most ledger rows the read path caches.",
            ValueType.integer(1, 100_000_000)));
    all.add(
        typed(
            "proxy.cacheMaxAgeSeconds",
            "2592000",
            "max-age of Cache-Control on originals (public for upload, private otherwise).",
            ValueType.integer(0, 31_536_000)));
    all.add(
        typed(
            "proxy.maxUploadBodyBytes",
            "105906176",
            "Largest Upload API request body (Cloudinary's 100 MB file cap plus 1 MiB of form);"
                + " larger ones get 413 before any byte is read. upload_large chunks are 20 MB.",
            ValueType.integer(1024, 2_000_000_000)));
    all.add(
        typed(
            "proxy.maxHeaderCount",
            "100",
            "Most request header fields the proxy accepts; more get 431.",
            ValueType.integer(8, 10_000)));
    all.add(
        typed(
            "proxy.maxConnections",
            "10000",
            "Most open client connections; one more is answered 503 and closed.",
            ValueType.integer(1, 1_000_000)));
    all.add(
        typed(
            "proxy.maxInFlightUploads",
            "64",
            "Most Upload API calls spooling or in flight at once; more get 503 with Retry-After.",
            ValueType.integer(1, 100_000)));
    all.add(
        plain(
            "proxy.spoolDir",
            "",
            "Where upload bodies are spooled, one directory per run, stale ones removed at start;"
                + " empty = docshift-spool in the system temp directory."));
    all.add(
        typed(
            "proxy.minBodyBytesPerSecond",
            "500",
            "Slowest request body accepted: after proxy.bodyGraceMillis a body must keep up with"
                + " this many bytes per second on average, or it gets 408 and the connection is"
                + " closed (its spool removed); 0 = no floor (the idle timeout still applies).",
            ValueType.integer(0, 1_000_000_000)));
    all.add(
        typed(
            "proxy.bodyGraceMillis",
            "20000",
            "Time a request body may take before proxy.minBodyBytesPerSecond applies; each byte"
                + " received extends its deadline by 1/rate seconds.",
            ValueType.integer(1, 3_600_000)));
    all.add(
        typed(
            "proxy.spoolReserveBytes",
            "268435456",
            "Free space the spool file system keeps: an upload whose Content-Length (or chunked"
                + " body so far) would leave less is refused with 507 Insufficient Storage.",
            ValueType.integer(0, Long.MAX_VALUE)));
    DeadlineKeys.proxy(all);
  }

  private static void sandbox(List<Setting> all) {
    all.add(typed("sandbox.cloudinaryPort", "8081", "Sandbox Cloudinary emulator port.", PORT));
    all.add(typed("sandbox.s3Port", "8082", "Sandbox S3 port.", PORT));
    all.add(
        typed(
            "sandbox.seedCount",
            "200",
            "Demo documents the sandbox seeds into the emulator.",
            ValueType.integer(0, 1_000_000)));
    all.add(
        typed(
            "sandbox.seedProfile",
            "demo",
            "Size mix of the seeded documents: demo, or backfill-bench (the backfill benchmark's).",
            ValueType.matching("demo or backfill-bench", "demo|backfill-bench")));
    all.add(
        typed(
            "sandbox.bulkDeletePageSize",
            "1000",
            "Originals one Admin API delete by prefix, tag or all deletes in the emulator before it"
                + " answers partial with a next_cursor (1000, as Cloudinary; smaller to test"
                + " paging).",
            ValueType.integer(1, 1000)));
  }

  private static void backfill(List<Setting> all) {
    all.add(
        typed(
            "backfill.concurrency",
            "8",
            "Parallel copy workers per backfill process.",
            ValueType.integer(1, 1024)));
    all.add(
        typed(
            "backfill.adminCallsPerHour",
            "2000",
            "Admin API call budget per hour (Cloudinary's rate limit).",
            ValueType.integer(1, 1_000_000)));
    all.add(
        typed(
            "backfill.batchSize",
            "100",
            "Documents a worker claims at once.",
            ValueType.integer(1, 10_000)));
    all.add(
        typed(
            "backfill.leaseMillis",
            "30000",
            "Lease on a claimed document; a live worker renews it every fifth of this,"
                + " so a dead worker's documents are taken over after at most this long.",
            ValueType.integer(1000, 86_400_000)));
  }

  private static void repair(List<Setting> all) {
    all.add(
        typed(
            "repair.enabled",
            "true",
            "Whether each serving instance drains the repair outbox in the background.",
            ValueType.bool()));
    all.add(
        typed(
            "repair.intervalMillis",
            "5000",
            "Pause between two drains of the repair outbox.",
            ValueType.integer(10, 3_600_000)));
    all.add(
        typed(
            "repair.concurrency",
            "4",
            "Repairs applied in parallel per instance.",
            ValueType.integer(1, 256)));
    all.add(
        typed(
            "repair.initialBackoffMillis",
            "1000",
            "Delay before retrying a failed repair; doubles per failure.",
            ValueType.integer(1, 86_400_000)));
    all.add(
        typed(
            "repair.maxBackoffMillis",
            "600000",
            "Cap on the repair retry delay.",
            ValueType.integer(1, 86_400_000)));
    all.add(
        typed("repair.jitterPercent", "20", "Random share taken off each repair delay.", PERCENT));
    all.add(
        typed(
            "repair.batchSize",
            "50",
            "Repairs a drainer claims at once.",
            ValueType.integer(1, 10_000)));
    all.add(
        typed(
            "repair.leaseMillis",
            "60000",
            "Visibility timeout: how long a claimed repair stays hidden from other drainers.",
            ValueType.integer(1000, 86_400_000)));
  }

  private static void metrics(List<Setting> all) {
    all.add(
        typed(
            "metrics.ledgerPollMillis",
            "15000",
            "How often ledger gauges (documents per state, outbox) re-read the ledger; scrapes never"
                + " query it.",
            ValueType.integer(1000, 3_600_000)));
  }

  private static void datadog(List<Setting> all) {
    all.add(
        new Setting(
            "datadog.apiKey",
            "",
            "Datadog API key; empty = no Datadog. Never written by DocShift: prefer"
                + " DOCSHIFT_DATADOG_APIKEY.",
            ValueType.text(),
            true,
            false));
    all.add(
        new Setting(
            "datadog.uri",
            "https://api.datadoghq.com",
            "Datadog API base URL, e.g. https://api.datadoghq.eu for the EU site.",
            ValueType.httpUrl(false),
            false));
    all.add(
        typed(
            "datadog.stepSeconds",
            "60",
            "Seconds between posts to Datadog; counters are posted as counts per step.",
            ValueType.integer(1, 3600)));
    all.add(
        typed(
            "datadog.host",
            "",
            "Host name sent with every series; empty = this machine's.",
            HOST_OR_EMPTY));
    all.add(
        typed(
            "datadog.tags",
            "service:docshift",
            "Tags sent with every series: comma-separated key:value (bounded values only).",
            ValueType.matching(
                "empty or comma-separated key:value, e.g. service:docshift,env:prod",
                "|" + TAG + "(," + TAG + ")*")));
  }

  private static void shadow(List<Setting> all) {
    all.add(
        typed(
            "shadow.mode",
            "AB",
            "Shadow reads compare with: AB = the other store; AA = Cloudinary again (noise check).",
            ValueType.oneOf(ShadowMode.class)));
    all.add(
        typed(
            "shadow.maxConcurrent",
            "16",
            "Most shadow reads in flight per proxy; further sampled reads are shed (counted).",
            ValueType.integer(1, 1024)));
    all.add(
        typed(
            "shadow.timeoutMillis",
            "10000",
            "Longest one shadow read (headers and whole body) may take before it counts as error.",
            TIMEOUT_MILLIS));
  }

  private static void verify(List<Setting> all) {
    all.add(
        typed(
            "verify.concurrency",
            "8",
            "Documents docshift verify checks in parallel.",
            ValueType.integer(1, 256)));
  }

  private static Setting plain(String key, String defaultValue, String meaning) {
    return new Setting(key, defaultValue, meaning, ValueType.text(), false);
  }

  private static Setting secret(String key, String meaning) {
    return new Setting(key, "", meaning, ValueType.text(), true);
  }

  static Setting typed(String key, String defaultValue, String meaning, ValueType type) {
    return new Setting(key, defaultValue, meaning, type, false);
  }
}
