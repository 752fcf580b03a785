package io.docshift.stores.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Dates and numbers read from store answers' headers. */
class HeaderValuesTest {
  @Test
  void readsTheThreeDateFormatsRfc9110AsksRecipientsToAccept() {
    Instant expected = Instant.parse("1994-11-06T08:49:37Z");
    assertThat(HeaderValues.date("Sun, 06 Nov 1994 08:49:37 GMT")).contains(expected);
    assertThat(HeaderValues.date("Sunday, 06-Nov-94 08:49:37 GMT")).contains(expected);
    assertThat(HeaderValues.date("Sun Nov  6 08:49:37 1994")).contains(expected);
  }

  @Test
  void anAbsentOrUnreadableDateIsEmpty() {
    assertThat(HeaderValues.date(null)).isEmpty();
    assertThat(HeaderValues.date("yesterday")).isEmpty();
    assertThat(HeaderValues.date("yesterday")).as("remembered as unreadable").isEmpty();
  }

  @Test
  void aDateReadAgainIsTheRememberedOneNotAFreshParse() {
    String text = "Sat, 05 Dec 2026 20:00:00 GMT";
    Optional<Instant> first = HeaderValues.date(text);
    assertThat(HeaderValues.date(new String(text.toCharArray()))).isSameAs(first);
  }

  @Test
  void manyDatesSharingTheRememberedSlotsEachReadTheirOwnValue() {
    DateTimeFormatter http = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
    Instant start = Instant.parse("2026-01-01T00:00:00Z");
    for (int round = 0; round < 2; round++) {
      for (int i = 0; i < 5_000; i++) {
        Instant when = start.plusSeconds(i * 3_601L);
        assertThat(HeaderValues.date(http.format(when))).as(http.format(when)).contains(when);
      }
    }
  }

  @Test
  void datesAreFormattedAsImfFixdatesToTheSecond() {
    assertThat(HeaderValues.format(Instant.parse("1994-11-06T08:49:37.999Z")))
        .isEqualTo("Sun, 06 Nov 1994 08:49:37 GMT");
    DateTimeFormatter imf =
        DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
            .withZone(ZoneOffset.UTC);
    Instant start = Instant.parse("2026-01-01T00:00:00Z");
    for (int round = 0; round < 2; round++) {
      for (int i = 0; i < 5_000; i++) {
        Instant when = start.plusSeconds(i * 3_601L);
        assertThat(HeaderValues.format(when)).isEqualTo(imf.format(when));
      }
    }
  }

  @Test
  void aDateFormattedAgainIsTheRememberedText() {
    String first = HeaderValues.format(Instant.ofEpochSecond(1_764_964_800L));
    assertThat(HeaderValues.format(Instant.ofEpochSecond(1_764_964_800L))).isSameAs(first);
  }

  @Test
  void numbersAllowBlanksAndAnythingElseIsAbsent() {
    assertThat(HeaderValues.number(" 1024 ")).isEqualTo(OptionalLong.of(1024));
    assertThat(HeaderValues.number(null)).isEmpty();
    assertThat(HeaderValues.number("12k")).isEmpty();
    assertThat(HeaderValues.number("")).isEmpty();
  }
}
