package io.docshift.sandbox.emulator;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The Admin API's hourly budget: a fixed window per clock hour (of the injected clock), reported in
 * {@code X-FeatureRateLimit-*} headers on every admin response; spent → HTTP 420.
 */
final class RateLimiter {
  private static final long HOUR = 3600;
  private static final DateTimeFormatter RFC_1123 =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH)
          .withZone(ZoneOffset.UTC);

  private final int perHour;
  private final Clock clock;
  private long window = Long.MIN_VALUE;
  private int used;
  private long spent;

  /** {@code perHour <= 0} means unlimited (headers then report {@link Integer#MAX_VALUE}). */
  RateLimiter(int perHour, Clock clock) {
    this.perHour = perHour;
    this.clock = clock;
  }

  /** Spends one call; throws the 420 error when the budget of this hour is gone. */
  synchronized HttpHeaders acquire() {
    roll();
    if (perHour > 0 && used >= perHour) {
      ApiException e = new ApiException(ApiException.RATE_LIMITED, "Rate Limit Exceeded");
      e.headers().add(headers());
      throw e;
    }
    used++;
    spent++;
    return headers();
  }

  /** Calls answered since start, across hours: what tests assert a client spent. */
  synchronized long spent() {
    return spent;
  }

  /** The headers as they stand, without spending a call (for rejected credentials). */
  synchronized HttpHeaders peek() {
    roll();
    return headers();
  }

  private void roll() {
    long current = Math.floorDiv(clock.instant().getEpochSecond(), HOUR);
    if (current != window) {
      window = current;
      used = 0;
    }
  }

  private HttpHeaders headers() {
    int limit = perHour > 0 ? perHour : Integer.MAX_VALUE;
    int remaining = perHour > 0 ? perHour - used : Integer.MAX_VALUE;
    Instant reset = Instant.ofEpochSecond((window + 1) * HOUR);
    return new DefaultHttpHeaders()
        .set("X-FeatureRateLimit-Limit", limit)
        .set("X-FeatureRateLimit-Remaining", remaining)
        .set("X-FeatureRateLimit-Reset", RFC_1123.format(reset));
  }
}
