package io.docshift.backfill;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Admin API budget as the last response reported it ({@code X-FeatureRateLimit-Limit}, {@code
 * -Remaining}, {@code -Reset}; Cloudinary contract §6). Like the Java SDK, any {@code
 * X-Feature<Name>RateLimit-*} header counts, case-insensitively. Each part may be missing.
 *
 * @param limit calls allowed per hour
 * @param remaining calls left in this window
 * @param reset when the window ends (RFC 1123 date in the header)
 */
record RateLimit(OptionalInt limit, OptionalInt remaining, Optional<Instant> reset) {
  private static final Pattern HEADER =
      Pattern.compile("x-feature[a-z]*ratelimit-(limit|remaining|reset)");

  static final RateLimit UNKNOWN =
      new RateLimit(OptionalInt.empty(), OptionalInt.empty(), Optional.empty());

  /** Reads the headers of one response; unparseable values count as missing. */
  static RateLimit fromHeaders(Map<String, ? extends Iterable<String>> headers) {
    OptionalInt limit = OptionalInt.empty();
    OptionalInt remaining = OptionalInt.empty();
    Optional<Instant> reset = Optional.empty();
    for (Map.Entry<String, ? extends Iterable<String>> header : headers.entrySet()) {
      Matcher m = HEADER.matcher(header.getKey().toLowerCase(Locale.ROOT));
      if (!m.matches() || !header.getValue().iterator().hasNext()) {
        continue;
      }
      String value = header.getValue().iterator().next().strip();
      switch (m.group(1)) {
        case "limit":
          limit = integer(value);
          break;
        case "remaining":
          remaining = integer(value);
          break;
        default:
          reset = date(value);
      }
    }
    return new RateLimit(limit, remaining, reset);
  }

  private static OptionalInt integer(String value) {
    try {
      return OptionalInt.of(Integer.parseInt(value));
    } catch (NumberFormatException e) {
      return OptionalInt.empty();
    }
  }

  private static Optional<Instant> date(String value) {
    try {
      return Optional.of(
          ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
