package io.docshift.app.logging;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.app.CliHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code --log-format} works before or after any command and refuses unknown formats. */
class LogFormatOptionTest {
  private final CliHarness cli = new CliHarness();

  @AfterEach
  void reset() {
    LogFormat.select(LogFormat.AUTO);
  }

  @Test
  void theOptionSelectsTheFormatOnAnyCommand() {
    assertThat(cli.run("status", "--log-format", "text", "--help")).isZero();
    assertThat(LogFormat.effective()).isEqualTo(LogFormat.TEXT);
    assertThat(cli.out()).contains("--log-format=FORMAT");

    assertThat(cli.run("--log-format", "JSON", "sandbox", "--help")).isZero();
    assertThat(LogFormat.effective()).isEqualTo(LogFormat.JSON);
  }

  @Test
  void anUnknownFormatIsAUsageError() {
    assertThat(cli.run("status", "--log-format", "xml")).isEqualTo(2);
    assertThat(cli.err()).contains("log format: xml (expected: json, text or auto)");
  }
}
