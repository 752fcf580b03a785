package io.docshift.proxy.admin;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * {@value #REQUESTS}: every request the admin listener answers (REST admin API, {@code /graphql},
 * the console, the probes, {@code /metrics}), timed from its first byte to its answer, tagged with
 * bounded values only: {@code route} (the family of the path, never the path itself: a scanner's
 * guesses all count as {@code other}) and {@code status} (the HTTP status class). Every route is
 * registered at zero for each class a dashboard shows, so a quiet listener reads 0, not "no data".
 */
final class AdminMeters {
  /** The timer's name. */
  static final String REQUESTS = "docshift.admin.requests";

  /** Every {@code route} value. */
  static final List<String> ROUTES =
      List.of("traffic", "audit", "migration", "metrics", "graphql", "console", "probe", "other");

  private static final List<String> REGISTERED_CLASSES = List.of("2xx", "4xx", "5xx");

  private final MeterRegistry registry;
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();

  AdminMeters(MeterRegistry registry) {
    this.registry = registry;
    for (String route : ROUTES) {
      REGISTERED_CLASSES.forEach(status -> timer(route, status));
    }
  }

  /** The route family of a request path. */
  static String route(String path) {
    if (path.startsWith("/admin/traffic")) {
      return "traffic";
    }
    return switch (path) {
      case "/admin/audit" -> "audit";
      case "/admin/migration" -> "migration";
      case "/metrics" -> "metrics";
      case "/graphql" -> "graphql";
      case Probes.LIVE, Probes.READY -> "probe";
      case "/", "/favicon.ico" -> "console";
      default -> path.startsWith("/console/") ? "console" : "other";
    };
  }

  /** The status class of an HTTP status code: {@code 2xx} ... {@code 5xx}. */
  static String statusClass(int code) {
    return code >= 100 && code < 600 ? (code / 100) + "xx" : "other";
  }

  void record(String route, int status, long nanos) {
    timer(route, statusClass(status)).record(nanos, TimeUnit.NANOSECONDS);
  }

  private Timer timer(String route, String status) {
    return timers.computeIfAbsent(
        route + " " + status,
        k ->
            Timer.builder(REQUESTS)
                .description("Admin listener requests by route family and status class")
                .tag("route", route)
                .tag("status", status)
                .register(registry));
  }
}
