package io.docshift.stores.http;

import io.netty.handler.codec.DateFormatter;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Values read from store answers' headers, alike for the JDK and the Netty clients: numbers ({@code
 * Content-Length}, a version in user metadata) and HTTP dates ({@code Last-Modified} and the like).
 * Unreadable values are absent, never an error: a store's header DocShift cannot read is a header
 * it does not have.
 *
 * <p>Dates go through Netty's parser, not {@code java.time}'s RFC 1123 formatter: it is lenient as
 * RFC 9110 asks of recipients and much cheaper (the formatter showed as 12 % of the event loops'
 * samples at 1 KiB). And the texts parsed last are remembered: a document's {@code Last-Modified}
 * is the same text on every read of it, so a hot document's date is parsed once, not per read.
 */
public final class HeaderValues {
  /** Remembered texts, by the low bits of their hash (a power of two). */
  private static final int RECENT_DATES = 256;

  /**
   * Shared by every thread without locking: an entry is immutable (final fields), so a thread sees
   * a whole entry or an older one, and a stale or overwritten entry only costs a parse.
   */
  private static final ParsedDate[] RECENT = new ParsedDate[RECENT_DATES];

  /** Dates formatted last, by the low bits of their second, shared the same way. */
  private static final FormattedDate[] FORMATTED = new FormattedDate[RECENT_DATES];

  private HeaderValues() {}

  /** The date {@code value} names; empty when absent or not a date. */
  public static Optional<Instant> date(String value) {
    if (value == null) {
      return Optional.empty();
    }
    int slot = value.hashCode() & (RECENT_DATES - 1);
    ParsedDate recent = RECENT[slot];
    if (recent != null && recent.text.equals(value)) {
      return recent.date;
    }
    Date parsed = DateFormatter.parseHttpDate(value);
    Optional<Instant> date = parsed == null ? Optional.empty() : Optional.of(parsed.toInstant());
    RECENT[slot] = new ParsedDate(value, date);
    return date;
  }

  /**
   * {@code instant} as an HTTP date (IMF-fixdate, {@code Sun, 06 Nov 1994 08:49:37 GMT}; the
   * fraction of its second dropped), the texts made last remembered as the parsed ones are.
   */
  public static String format(Instant instant) {
    long second = instant.getEpochSecond();
    int slot = Long.hashCode(second) & (RECENT_DATES - 1);
    FormattedDate recent = FORMATTED[slot];
    if (recent != null && recent.second == second) {
      return recent.text;
    }
    String text = DateFormatter.format(new Date(second * 1_000));
    FORMATTED[slot] = new FormattedDate(second, text);
    return text;
  }

  /**
   * The whole number {@code value} holds (surrounding blanks allowed); empty when absent or not.
   */
  public static OptionalLong number(String value) {
    if (value == null) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(value.strip()));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  private record ParsedDate(String text, Optional<Instant> date) {}

  private record FormattedDate(long second, String text) {}
}
