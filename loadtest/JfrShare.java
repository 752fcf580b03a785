import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a JFR recording's CPU samples go, for loadtest/bench-read.sh (PROFILE=1): the share of
 * execution samples (Java code on a CPU; time in native socket calls is not sampled) by the
 * package of the top frame, the share with given code anywhere on the stack (the hash of verified
 * S3 reads, SigV4 signing, the access log, ...), and the hottest DocShift methods.
 *
 * <pre>
 *   java loadtest/JfrShare.java RECORDING.jfr [THREAD_NAME_PREFIX ...]
 * </pre>
 *
 * With thread-name prefixes only those threads' samples count (e.g. the proxy's event loops when
 * DocShift shares its JVM with the stores). Prints markdown.
 */
public final class JfrShare {
  /**
   * Code looked for anywhere on a sample's stack: label, then prefixes of {@code class.method}
   * names. Only code that does not call on into the pipeline (a decoder or a body relay has
   * everything downstream on its stack, so "on the stack" would say nothing about its own cost).
   */
  private static final Map<String, List<String>> ON_STACK = new LinkedHashMap<>();

  static {
    ON_STACK.put(
        "body hash (Digester: SHA-256 / MD5 / CRC-32C updates)",
        List.of("io.docshift.core.digest.", "sun.security.provider.", "java.util.zip.CRC32C"));
    ON_STACK.put(
        "SigV4 signing (S3RequestSigner, the SDK's signer)",
        List.of("io.docshift.stores.s3.S3RequestSigner", "software.amazon.awssdk.http.auth."));
    ON_STACK.put("any AWS SDK code", List.of("software.amazon.awssdk."));
    ON_STACK.put("store answers' headers read (S3Mapping, ApiResponses)", List.of(
        "io.docshift.stores.s3.S3Mapping", "io.docshift.stores.cloudinary.ApiResponses"));
    ON_STACK.put("HTTP dates parsed (HeaderValues, Netty's DateFormatter)", List.of(
        "io.docshift.stores.http.HttpDates", "io.docshift.stores.http.HeaderValues.date",
        "io.netty.handler.codec.DateFormatter"));
    ON_STACK.put("slow-client limits' own bookkeeping (promises, listeners, timers)", List.of(
        "io.docshift.proxy.pipeline.ResponseDeadline$",
        "io.docshift.proxy.pipeline.ResponseRateFloor$",
        "io.docshift.proxy.pipeline.SlowReaderLimits$",
        "io.docshift.proxy.pipeline.Written",
        "io.docshift.proxy.pipeline.ConnectionTimer",
        "io.netty.util.concurrent.PromiseNotifier",
        "io.netty.channel.DefaultChannelProgressivePromise"));
    // Methods, not classes: the request timers' channelRead passes every request on.
    ON_STACK.put("per-request timers (deadlines' own work, the loop's schedule and cancel)", List.of(
        "io.docshift.stores.http.ExchangeDeadlines.", "io.docshift.stores.http.LoopDeadlines.watch",
        "io.docshift.stores.http.LoopDeadlines.forget", "io.docshift.proxy.pipeline.ConnectionTimer.",
        "io.docshift.proxy.pipeline.HeaderReadTimeout.check",
        "io.docshift.proxy.pipeline.BodyReadDeadline.check",
        "io.docshift.proxy.pipeline.BodyReadDeadline.schedule",
        "io.netty.util.concurrent.AbstractScheduledEventExecutor.schedule",
        "io.netty.util.concurrent.ScheduledFutureTask.cancel",
        "io.netty.util.internal.DefaultPriorityQueue"));
    ON_STACK.put("traffic state read (TrafficControl.state)",
        List.of("io.docshift.traffic.control.TrafficControl.state"));
    ON_STACK.put("digests and keys checked (DocumentMeta, KeyRules)",
        List.of("io.docshift.core.store.DocumentMeta", "io.docshift.core.key.KeyRules"));
    ON_STACK.put("access log line", List.of("io.docshift.proxy.pipeline.AccessLog"));
    ON_STACK.put("logging (appenders, JSON encoding)", List.of(
        "ch.qos.logback.", "net.logstash."));
    ON_STACK.put("metrics (Micrometer)", List.of("io.micrometer."));
    ON_STACK.put("request parsing (StrictRequestDecoder, DeliveryPathParser)", List.of(
        "io.docshift.proxy.pipeline.StrictRequestDecoder", "io.docshift.core.key."));
    ON_STACK.put("copy on read", List.of("io.docshift.proxy.copyonread.", "io.docshift.copier."));
    ON_STACK.put("ledger (H2, JDBC)", List.of("org.h2.", "com.zaxxer."));
  }

  public static void main(String[] args) throws Exception {
    List<String> threads = List.of(args).subList(1, args.length);
    long total = 0;
    Map<String, Long> topPackage = new TreeMap<>();
    Map<String, Long> onStack = new LinkedHashMap<>();
    Map<String, Long> docshiftTop = new TreeMap<>();
    Map<String, Long> threadNames = new TreeMap<>();
    Map<String, Long> topMethod = new TreeMap<>();
    Map<String, Long> docshiftOwn = new TreeMap<>();
    ON_STACK.keySet().forEach(k -> onStack.put(k, 0L));
    for (RecordedEvent event : RecordingFile.readAllEvents(Path.of(args[0]))) {
      if (!event.getEventType().getName().equals("jdk.ExecutionSample")) {
        continue;
      }
      String thread = event.getThread("sampledThread").getJavaName();
      if (thread == null || !threads.isEmpty() && threads.stream().noneMatch(thread::startsWith)) {
        continue;
      }
      List<RecordedFrame> frames = event.getStackTrace().getFrames();
      if (frames.isEmpty()) {
        continue;
      }
      total++;
      threadNames.merge(thread.replaceAll("[-#]?\\d+$", "-N"), 1L, Long::sum);
      topPackage.merge(bucket(className(frames.get(0))), 1L, Long::sum);
      topMethod.merge(
          className(frames.get(0)) + "." + frames.get(0).getMethod().getName(), 1L, Long::sum);
      for (Map.Entry<String, List<String>> e : ON_STACK.entrySet()) {
        if (frames.stream().anyMatch(f -> startsWithAny(qualifiedMethod(f), e.getValue()))) {
          onStack.merge(e.getKey(), 1L, Long::sum);
        }
      }
      for (RecordedFrame f : frames) {
        if (className(f).startsWith("io.docshift.")) {
          docshiftTop.merge(className(f) + "." + f.getMethod().getName(), 1L, Long::sum);
          break;
        }
      }
      docshiftOwn.merge(ownWork(frames), 1L, Long::sum);
    }
    System.out.printf("%n%d execution samples%s%n", total,
        threads.isEmpty() ? "" : " of threads " + String.join(", ", threads) + "*");
    print("threads", threadNames, total, 8);
    print("top frame's code", topPackage, total, 20);
    print("code anywhere on the stack", onStack, total, 20);
    print("hottest top frames (method)", topMethod, total, 15);
    print("first DocShift frame on the stack (the DocShift code a sample ran under)", docshiftTop,
        total, 12);
    print("DocShift method doing the work (first DocShift frame, unless the work is in a handler"
        + " further down the channel pipeline)", docshiftOwn, total, 25);
  }

  private static void print(String title, Map<String, Long> counts, long total, int limit) {
    System.out.printf("%n| %s | samples | share |%n|---|---|---|%n", title);
    List<Map.Entry<String, Long>> rows = new ArrayList<>(counts.entrySet());
    if (!title.startsWith("code anywhere")) {
      rows.sort(Map.Entry.<String, Long>comparingByValue().reversed());
    }
    rows.stream().limit(limit).forEach(e -> System.out.printf("| %s | %d | %.1f %% |%n",
        e.getKey(), e.getValue(), total == 0 ? 0.0 : 100.0 * e.getValue() / total));
  }

  /**
   * The DocShift method a sample's work belongs to: its first DocShift frame, unless a channel
   * pipeline hop lies between that frame and the top (then the work is the next handler's, Netty's
   * codec or the socket's: "below the pipeline"). So a handler that passes a write on is charged
   * with its own bookkeeping only, not with the encoder and the socket write below it.
   */
  private static String ownWork(List<RecordedFrame> frames) {
    for (RecordedFrame f : frames) {
      String name = className(f);
      if (name.startsWith("io.docshift.")) {
        return name + "." + f.getMethod().getName();
      }
      if (name.equals("io.netty.channel.AbstractChannelHandlerContext")
          || name.equals("io.netty.channel.DefaultChannelPipeline")) {
        return "(Netty or the socket, below a pipeline hop)";
      }
    }
    return "(no DocShift frame)";
  }

  private static String qualifiedMethod(RecordedFrame frame) {
    return frame.getMethod() == null ? "?" : className(frame) + "." + frame.getMethod().getName();
  }

  private static String className(RecordedFrame frame) {
    return frame.getMethod() == null ? "?" : frame.getMethod().getType().getName();
  }

  private static boolean startsWithAny(String name, List<String> prefixes) {
    return prefixes.stream().anyMatch(name::startsWith);
  }

  /** The package group a class belongs to, coarse enough to read at a glance. */
  private static String bucket(String name) {
    String[][] groups = {
      {"io.docshift.", "DocShift"},
      {"io.netty.handler.codec.http.", "Netty HTTP codec"},
      {"io.netty.buffer.", "Netty buffers"},
      {"io.netty.channel.", "Netty channel/event loop"},
      {"io.netty.", "Netty other"},
      {"software.amazon.awssdk.", "AWS SDK"},
      {"sun.security.provider.", "JDK digests (SHA-256, MD5)"},
      {"sun.nio.", "JDK NIO"},
      {"java.util.concurrent.", "JDK concurrency"},
      {"java.lang.invoke.", "JDK method handles"},
      {"java.lang.String", "JDK strings"},
      {"java.lang.", "JDK java.lang other"},
      {"java.util.", "JDK collections, java.util"},
      {"java.time.", "JDK java.time"},
      {"java.", "JDK other"},
      {"jdk.", "JDK other"},
      {"sun.", "JDK other"},
      {"ch.qos.logback.", "logging"},
      {"org.slf4j.", "logging"},
      {"com.fasterxml.jackson.", "Jackson"},
      {"com.github.benmanes.caffeine.", "Caffeine"},
      {"io.micrometer.", "Micrometer"},
    };
    for (String[] g : groups) {
      if (name.startsWith(g[0])) {
        return g[1];
      }
    }
    int dot = name.lastIndexOf('.');
    return dot < 0 ? name : name.substring(0, dot);
  }
}
