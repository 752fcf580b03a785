package io.docshift.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code conf/docshift.conf} is the documented default file: it must set exactly the known keys,
 * each to its default and each with its meaning above it, so the documentation cannot go stale.
 * When this fails after adding a key, regenerate the file from {@code
 * DocShiftConfig.defaults().render()}.
 */
class DefaultConfigFileTest {
  private static Path defaultFile() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isRegularFile(dir.resolve("conf/docshift.conf"))) {
      dir = dir.getParent();
    }
    assertThat(dir).as("conf/docshift.conf above the working directory").isNotNull();
    return dir.resolve("conf/docshift.conf");
  }

  @Test
  void parsesToTheDefaults() {
    assertThat(DocShiftConfig.builder().file(defaultFile()).build())
        .isEqualTo(DocShiftConfig.defaults());
  }

  @Test
  void documentsExactlyTheKnownKeysEachWithItsMeaning() throws IOException {
    List<String> lines = Files.readAllLines(defaultFile(), StandardCharsets.UTF_8);
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String key = line.substring(0, line.indexOf('=')).strip();
      keys.add(key);
      Setting setting = Settings.find(key).orElseThrow();
      assertThat(lines.subList(Math.max(0, i - 3), i))
          .as("comment above %s", key)
          .contains("# " + setting.meaning());
    }
    assertThat(keys).containsExactlyElementsOf(DocShiftConfig.knownKeys());
  }

  @Test
  void matchesWhatRenderWritesForTheDefaults() throws IOException {
    assertThat(Files.readString(defaultFile(), StandardCharsets.UTF_8))
        .isEqualTo(DocShiftConfig.defaults().render());
  }
}
