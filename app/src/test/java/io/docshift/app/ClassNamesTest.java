package io.docshift.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * One name, one class: two classes with one simple name in two modules (or packages) are two homes
 * for what a reader takes for one concept. Main and test sources of every module count; {@code
 * package-info} is the language's, not ours.
 */
class ClassNamesTest {
  @Test
  void noSimpleClassNameStandsInTwoPlaces() throws IOException {
    Path root = RepositoryReferences.repositoryRoot();
    Map<String, List<String>> byName;
    try (Stream<Path> files = Files.walk(root)) {
      byName =
          files
              .filter(p -> p.toString().endsWith(".java"))
              .map(root::relativize)
              .filter(ClassNamesTest::isSource)
              .filter(p -> !p.getFileName().toString().equals("package-info.java"))
              .collect(
                  Collectors.groupingBy(
                      p -> p.getFileName().toString(),
                      TreeMap::new,
                      Collectors.mapping(Path::toString, Collectors.toList())));
    }
    assertThat(byName.values().stream().mapToInt(List::size).sum())
        .as("source files found")
        .isGreaterThan(500);
    assertThat(byName).allSatisfy((name, paths) -> assertThat(paths).as(name).hasSize(1));
  }

  /** Module sources ({@code <module>/src/...}), not build output or tooling under other folders. */
  private static boolean isSource(Path relative) {
    return relative.getNameCount() > 2
        && relative.getName(1).toString().equals("src")
        && !relative.toString().contains("/target/");
  }
}
