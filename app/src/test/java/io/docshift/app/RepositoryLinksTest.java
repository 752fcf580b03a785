package io.docshift.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The repository explains itself: no document, comment, script or pom points at a file a clone does
 * not have, every relative markdown link (and its anchor) resolves inside the repository, and every
 * {@code Cloudinary contract §N} a comment cites exists in {@code docs/cloudinary-contract.md}.
 */
class RepositoryLinksTest {
  /**
   * A note beside a clone, the kind of link the checker must refuse; built from parts so this file
   * does not itself carry the link that repository-wide searches look for.
   */
  private static final String OUTSIDE_NOTE = "../shared/" + "DESIGN.md";

  /** These two spell out the patterns they look for. */
  private static final Set<String> SELF =
      Set.of("RepositoryReferences.java", "RepositoryLinksTest.java");

  @TempDir Path clone;

  @Test
  void everyReferenceInTheRepositoryResolvesInsideAClone() throws IOException {
    Path root = RepositoryReferences.repositoryRoot();
    assertThat(root.resolve("docs/architecture.md")).isRegularFile();

    assertThat(RepositoryReferences.problems(root, SELF)).isEmpty();
  }

  @Test
  void referencesOutsideTheRepositoryAndBrokenLinksAreReported() throws IOException {
    write("app/pom.xml", "<project/>\n");
    write("docs/cloudinary-contract.md", "# Contract\n\n## 4. Signatures\n\n| OQ 3 | x |\n");
    write(
        "docs/guide.md", "# Guide\n\n## Known gaps\n\n[ok](cloudinary-contract.md#4-signatures)\n");
    write(
        "README.md",
        String.join(
            "\n",
            "[design](" + OUTSIDE_NOTE + ")",
            "[docs](docs/guide.md#known-gaps) [gone](docs/missing.md) [web](https://example.com)",
            "[anchor](docs/guide.md#no-such-heading)",
            "```",
            "[in a code block](not/checked.md)",
            "```",
            ""));
    write(
        "core/src/main/java/A.java",
        String.join(
            "\n",
            "/** Signed as the Cloudinary contract §4 and §7 say (Cloudinary contract OQ 3). */",
            "// wire contract §2, cloudinary-api.md §1, CRAFT practice 3, see docs/gone.md",
            "// Issue 6 end to end; emulator notes in /work/shared",
            "class A {}",
            ""));

    List<String> problems = RepositoryReferences.problems(clone, Set.of());

    assertThat(problems)
        .containsExactlyInAnyOrder(
            "README.md:1: '../shared' names a directory outside the repository",
            "README.md:1: 'DESIGN' names a design note outside the repository (docs/)",
            "README.md:1: links " + OUTSIDE_NOTE + " outside the repository",
            "README.md:2: links docs/missing.md, which does not exist",
            "README.md:2: names docs/missing.md, which the repository does not have",
            "README.md:3: links docs/guide.md#no-such-heading, whose anchor has no heading",
            "core/src/main/java/A.java:1: cites Cloudinary contract §4 and §7, which"
                + " docs/cloudinary-contract.md does not have",
            "core/src/main/java/A.java:2: 'wire contract §' names a section of notes outside the"
                + " repository",
            "core/src/main/java/A.java:2: 'cloudinary-api.md' names the wire notes outside the"
                + " repository (docs/)",
            "core/src/main/java/A.java:2: 'CRAFT' names a style note outside the repository",
            "core/src/main/java/A.java:2: names docs/gone.md, which the repository does not have",
            "core/src/main/java/A.java:3: 'Issue 6' names an issue number (say the thing itself)",
            "core/src/main/java/A.java:3: '/work/' names a machine path");
  }

  @Test
  void anchorsAreTheOnesGithubGivesHeadings() {
    assertThat(RepositoryReferences.slug("10. Where the documentation is silent: decisions"))
        .isEqualTo("10-where-the-documentation-is-silent-decisions");
    assertThat(RepositoryReferences.slug("A dual-write upload (`DUAL_CLOUDINARY_PRIMARY`)"))
        .isEqualTo("a-dual-write-upload-dual_cloudinary_primary");
  }

  private void write(String relative, String text) throws IOException {
    Path file = clone.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }
}
