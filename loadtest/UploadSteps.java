import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where an upload's time goes, for loadtest/bench-write.sh (PROFILE=1): reads the write path's
 * {@code io.docshift.UploadStep} events from a JFR recording of {@code docshift serve} and prints,
 * per upload size, the median wall-clock time of each step per upload (steps taken twice in one
 * upload are added up), the share of uploads that took it, and what is left of the server's
 * {@code total} once the steps are taken out (executor hand-offs, queueing, small work between
 * steps; negative when steps overlap). Uploads are told apart by their public id, which
 * WriteBench.java names {@code bench/RUN/docshift-SIZE-ROUND}; its warm-up rounds are skipped.
 *
 * <pre>
 *   java loadtest/UploadSteps.java RECORDING.jfr [WARMUP_ROUNDS]
 * </pre>
 *
 * Prints markdown.
 */
public final class UploadSteps {
  private static final Pattern BENCH_ID = Pattern.compile(".*docshift-(\\d+)-(\\d+)$");
  private static final String TOTAL = "total";

  public static void main(String[] args) throws Exception {
    int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    // size -> upload id -> step -> milliseconds (summed when a step repeats)
    Map<Long, Map<String, Map<String, Double>>> uploads = new TreeMap<>();
    List<String> order = new ArrayList<>();
    for (RecordedEvent e : RecordingFile.readAllEvents(Path.of(args[0]))) {
      if (!e.getEventType().getName().equals("io.docshift.UploadStep")) {
        continue;
      }
      Matcher m = BENCH_ID.matcher(e.getString("publicId"));
      if (!m.matches() || Integer.parseInt(m.group(2)) < warmup) {
        continue;
      }
      String step = e.getString("step");
      if (!order.contains(step)) {
        order.add(step);
      }
      uploads
          .computeIfAbsent(Long.parseLong(m.group(1)), s -> new LinkedHashMap<>())
          .computeIfAbsent(e.getString("publicId"), id -> new LinkedHashMap<>())
          .merge(step, millis(e.getDuration()), Double::sum);
    }
    order.remove(TOTAL);
    uploads.forEach((size, bySize) -> print(size, bySize, order));
  }

  private static void print(long size, Map<String, Map<String, Double>> bySize, List<String> order) {
    System.out.printf(Locale.ROOT, "%n%s, %d uploads:%n%n", human(size), bySize.size());
    System.out.println("| step | p50 ms | mean ms | uploads with it |");
    System.out.println("|---|---:|---:|---:|");
    for (String step : order) {
      List<Double> times = new ArrayList<>();
      bySize.values().forEach(steps -> times.add(steps.getOrDefault(step, 0.0)));
      long with = bySize.values().stream().filter(steps -> steps.containsKey(step)).count();
      if (with > 0) {
        row(step, times, with + "/" + bySize.size());
      }
    }
    List<Double> rest = new ArrayList<>();
    List<Double> totals = new ArrayList<>();
    for (Map<String, Double> steps : bySize.values()) {
      double total = steps.getOrDefault(TOTAL, 0.0);
      double sum = steps.entrySet().stream()
          .filter(s -> !s.getKey().equals(TOTAL))
          .mapToDouble(Map.Entry::getValue)
          .sum();
      totals.add(total);
      rest.add(total - sum);
    }
    row("rest of the server's time (hand-offs, queueing)", rest, "");
    row("**server total** (parse to answer decided)", totals, "");
  }

  private static void row(String label, List<Double> times, String with) {
    System.out.printf(
        Locale.ROOT, "| %s | %.1f | %.1f | %s |%n", label, p50(times), mean(times), with);
  }

  private static double millis(Duration d) {
    return d.toNanos() / 1e6;
  }

  private static double p50(List<Double> samples) {
    List<Double> sorted = new ArrayList<>(samples);
    Collections.sort(sorted);
    return sorted.get(Math.max(0, (int) Math.ceil(sorted.size() / 2.0) - 1));
  }

  private static double mean(List<Double> samples) {
    return samples.stream().mapToDouble(Double::doubleValue).average().orElse(0);
  }

  private static String human(long size) {
    if (size == 102400) {
      return "100 KiB";
    }
    if (size == 1048576) {
      return "1 MiB";
    }
    return size == 20971520 ? "20 MiB" : size + " B";
  }
}
