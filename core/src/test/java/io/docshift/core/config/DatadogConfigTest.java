package io.docshift.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code datadog.*} and {@code metrics.*} sections, and the Datadog API key's special rule: a
 * secret that DocShift never writes, not even in a clear-text render.
 */
class DatadogConfigTest {
  private static final String KEY = "0123456789abcdef0123456789abcdef";

  @TempDir Path dir;

  @Test
  void datadogIsOffUntilAKeyIsSetAndDefaultsAreUsable() {
    DocShiftConfig defaults = DocShiftConfig.defaults();

    assertThat(defaults.datadog().enabled()).isFalse();
    assertThat(defaults.datadog().uri()).isEqualTo(URI.create("https://api.datadoghq.com"));
    assertThat(defaults.datadog().stepSeconds()).isEqualTo(60);
    assertThat(defaults.datadog().tags()).containsExactly(Map.entry("service", "docshift"));
    assertThat(defaults.metrics().ledgerPollMillis()).isEqualTo(15_000);
  }

  @Test
  void theKeyComesFromTheEnvironmentAndTagsKeepTheirOrder() {
    DocShiftConfig config =
        DocShiftConfig.builder()
            .environment(Map.of("DOCSHIFT_DATADOG_APIKEY", KEY))
            .override("datadog.uri", "https://api.datadoghq.eu")
            .override("datadog.tags", "service:docshift,env:prod,region:eu-west-1,url:a:b")
            .override("datadog.host", "proxy-1")
            .build();

    assertThat(config.datadog().enabled()).isTrue();
    assertThat(config.datadog().apiKey()).isEqualTo(KEY);
    assertThat(config.datadog().host()).isEqualTo("proxy-1");
    assertThat(config.datadog().tags())
        .containsExactly(
            Map.entry("service", "docshift"),
            Map.entry("env", "prod"),
            Map.entry("region", "eu-west-1"),
            Map.entry("url", "a:b"));
  }

  @Test
  void theKeyIsMaskedWheneverShownAndNeverRendered() throws Exception {
    DocShiftConfig config =
        DocShiftConfig.builder()
            .override("datadog.apiKey", KEY)
            .override("admin.token", "admin-secret")
            .build();

    assertThat(config.toString()).doesNotContain(KEY).contains("datadog.apiKey=****");
    assertThat(config.datadog().toString()).doesNotContain(KEY).contains("apiKey=****");
    assertThat(config.renderMasked()).doesNotContain(KEY).contains("datadog.apiKey = ****");
    assertThat(config.asMaskedProperties().values()).doesNotContain(KEY);
    assertThat(config.render())
        .doesNotContain(KEY)
        .contains("datadog.apiKey =\n", "admin.token = admin-secret");

    Path written = Files.writeString(dir.resolve("rendered.conf"), config.render());
    DocShiftConfig reread = DocShiftConfig.builder().file(written).build();
    assertThat(reread.datadog().enabled()).isFalse();
    assertThat(reread.admin().token()).isEqualTo("admin-secret");
  }

  @Test
  void invalidValuesNameTheKeyAndWhatWasExpectedWithoutShowingTheKey() {
    assertThatThrownBy(
            () ->
                DocShiftConfig.builder()
                    .override("datadog.apiKey", KEY + "\nx")
                    .override("datadog.tags", "service=docshift")
                    .override("datadog.stepSeconds", "0")
                    .override("datadog.uri", "datadoghq.com")
                    .override("metrics.ledgerPollMillis", "10")
                    .build())
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.errors())
                    .containsExactly(
                        "metrics.ledgerPollMillis: 10 (expected: integer 1000..3600000)",
                        "datadog.apiKey: **** (expected: text)",
                        "datadog.uri: datadoghq.com (expected: http(s) URL)",
                        "datadog.stepSeconds: 0 (expected: integer 1..3600)",
                        "datadog.tags: service=docshift (expected: empty or comma-separated"
                            + " key:value, e.g. service:docshift,env:prod)"));
  }
}
