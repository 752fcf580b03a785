package io.docshift.app.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The strict parser accepts the exposition grammar and rejects what a Prometheus server would. */
class PrometheusTextTest {
  private static final String VALID =
      """
      # HELP requests_total Requests, by "kind" \\\\ with a\\nnewline
      # TYPE requests_total counter
      requests_total{kind="a\\"b\\\\c\\nd",code="200",} 3.0
      requests_total 1e3 1700000000000
      # TYPE latency_seconds histogram
      latency_seconds_bucket{le="0.1"} 1
      latency_seconds_bucket{le="1.0"} 2
      latency_seconds_bucket{le="+Inf"} 3
      latency_seconds_count 3
      latency_seconds_sum 4.5
      # a comment
      temperature NaN
      other -Inf
      """;

  @Test
  void parsesFamiliesTypesLabelsAndValues() {
    Map<String, PrometheusText.Family> families = PrometheusText.parse(VALID);

    assertThat(families)
        .containsOnlyKeys("requests_total", "latency_seconds", "temperature", "other");
    PrometheusText.Family requests = families.get("requests_total");
    assertThat(requests.type()).isEqualTo("counter");
    assertThat(requests.help()).isEqualTo("Requests, by \"kind\" \\ with a\nnewline");
    assertThat(requests.samples().get(0).labels()).containsEntry("kind", "a\"b\\c\nd");
    assertThat(requests.samples().get(1).value()).isEqualTo(1000.0);
    assertThat(families.get("latency_seconds").samples()).hasSize(5);
    assertThat(families.get("temperature").samples().get(0).value()).isNaN();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "1bad 1|bad metric name",
        "ok{1a=\"x\"} 1|bad label name",
        "ok{__name=\"x\"} 1|bad label name",
        "ok{a=x} 1|not quoted",
        "ok{a=\"x} 1|unterminated",
        "ok{a=\"\\q\"} 1|bad escape",
        "ok{a=\"1\",a=\"2\"} 1|twice",
        "ok{a=\"1\" b=\"2\"} 1|expected ','",
        "ok 1.2.3|bad value",
        "ok one|bad value",
        "ok 1 12.5|bad timestamp",
        "ok  1|bad value",
        "ok 1 2 3|unexpected text",
        "# TYPE ok gauges|TYPE of ok",
      })
  void rejectsMalformedLines(String line, String problem) {
    assertThatThrownBy(() -> PrometheusText.parse(line + "\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("line 1")
        .hasMessageContaining(problem);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "a 1\\nb 1\\na 2|not together",
        "a 1\\na 1|duplicate series",
        "a 1\\n# TYPE a gauge|after its samples",
        "# HELP a x\\n# HELP a y\\na 1|second HELP",
        "# TYPE h histogram\\nh_bucket{le=\"1\"} 1\\nh_count 1|no +Inf",
        "# TYPE h histogram\\nh_bucket{le=\"1\"} 2\\nh_bucket{le=\"+Inf\"} 1\\nh_count 1|not increasing",
        "# TYPE h histogram\\nh_bucket{le=\"+Inf\"} 2\\nh_count 1|differs from _count",
        "# TYPE h histogram\\nh_bucket 1\\nh_count 1|without le",
      })
  void rejectsMalformedExpositions(String text, String problem) {
    assertThatThrownBy(() -> PrometheusText.parse(text.replace("\\n", "\n") + "\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(problem);
  }

  @Test
  void requiresTheFinalNewline() {
    assertThatThrownBy(() -> PrometheusText.parse("a 1"))
        .hasMessageContaining("does not end with a newline");
  }
}
