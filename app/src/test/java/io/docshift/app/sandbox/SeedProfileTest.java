package io.docshift.app.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docshift.core.config.DocShiftConfig;
import io.docshift.core.config.SandboxConfig;
import io.docshift.sandbox.emulator.CloudinaryEmulator;
import io.docshift.sandbox.emulator.EmulatorConfig;
import io.docshift.sandbox.seed.DemoCorpus;
import io.docshift.sandbox.seed.SeedDocument;
import io.docshift.sandbox.seed.SizeProfile;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code docshift sandbox --seed-profile}: which size mix the demo backlog is drawn from. */
class SeedProfileTest {
  private static final int COUNT = 12;

  @TempDir Path dir;

  @Test
  void theOptionBecomesTheSandboxSeedProfileSetting() {
    SandboxCommand command = new SandboxCommand();
    new CommandLine(command).parseArgs("--seed-profile", "backfill-bench", "--seed", "5");
    assertThat(command.seedProfile).isEqualTo("backfill-bench");

    DocShiftConfig config =
        DocShiftConfig.builder().overrides(Map.of("sandbox.seedProfile", "backfill-bench")).build();
    assertThat(config.sandbox().seedProfile()).isEqualTo("backfill-bench");
    assertThat(DocShiftConfig.defaults().sandbox().seedProfile()).isEqualTo("demo");
  }

  @Test
  void anUnknownProfileIsRejectedWithTheExpectedValues() {
    assertThatThrownBy(
            () -> DocShiftConfig.builder().overrides(Map.of("sandbox.seedProfile", "huge")).build())
        .hasMessageContaining("sandbox.seedProfile")
        .hasMessageContaining("demo or backfill-bench");
    assertThat(DemoSeeder.profile("demo")).isEqualTo(SizeProfile.DEMO);
    assertThat(DemoSeeder.profile("backfill-bench")).isEqualTo(SizeProfile.BACKFILL_BENCH);
    assertThatThrownBy(() -> DemoSeeder.profile("huge"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theBackfillBenchProfileSeedsTheBenchmarkCorpusAndRecordsIt() throws Exception {
    long expectedBytes = 0;
    for (SeedDocument doc :
        DemoCorpus.of(DemoSeeder.CORPUS_SEED, COUNT, SizeProfile.BACKFILL_BENCH)) {
      expectedBytes += doc.length();
    }
    List<String> progress = new ArrayList<>();
    SeedSummary summary;
    try (CloudinaryEmulator emulator =
        CloudinaryEmulator.start(
            EmulatorConfig.builder().dataDir(dir.resolve("cloudinary")).port(0).build())) {
      summary =
          DemoSeeder.seedIfNeeded(
              emulator, dir, new SandboxConfig(0, 0, COUNT, "backfill-bench"), progress::add);
    }

    assertThat(summary.documents()).isEqualTo(COUNT);
    assertThat(summary.bytes()).isEqualTo(expectedBytes);
    assertThat(summary.bytes())
        .isBetween(
            COUNT * SizeProfile.BACKFILL_BENCH.minBytes(),
            COUNT * SizeProfile.BACKFILL_BENCH.maxBytes());
    assertThat(progress).anyMatch(line -> line.contains("size profile backfill-bench"));
    Properties marker = new Properties();
    try (InputStream in = Files.newInputStream(dir.resolve(DemoSeeder.MARKER))) {
      marker.load(in);
    }
    assertThat(marker.getProperty("sizeProfile")).isEqualTo("backfill-bench");
    assertThat(marker.getProperty("bytes")).isEqualTo(Long.toString(expectedBytes));
  }
}
