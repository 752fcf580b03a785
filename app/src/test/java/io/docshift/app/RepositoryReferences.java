package io.docshift.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds references in the repository's text files ({@code *.md}, {@code *.java}, {@code *.conf},
 * {@code *.sh}, {@code pom.xml}) that a fresh clone cannot follow: names of design notes that live
 * outside the repository, issue numbers, machine paths, relative markdown links (and their {@code
 * #anchors}) that do not resolve inside the repository, repository documents named in text that do
 * not exist, and citations of sections of {@code docs/cloudinary-contract.md} that it does not
 * have. Build output ({@code target}), hidden directories and the sandbox's {@code data} directory
 * are not read. Each problem is one line: {@code path:line: what}.
 */
final class RepositoryReferences {
  /** Text that points outside a clone, with what to say about it. */
  private static final Map<Pattern, String> OUTSIDE =
      Map.of(
          Pattern.compile("\\.\\./shared"), "a directory outside the repository",
          Pattern.compile("\\bDESIGN\\b"), "a design note outside the repository (docs/)",
          Pattern.compile("\\bCRAFT\\b"), "a style note outside the repository",
          Pattern.compile("cloudinary-api\\.md"), "the wire notes outside the repository (docs/)",
          Pattern.compile("wire contract §"), "a section of notes outside the repository",
          Pattern.compile("(?i)\\bissues? #?\\d+\\b"), "an issue number (say the thing itself)",
          Pattern.compile("/work/"), "a machine path");

  private static final Pattern LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)[^)]*\\)");
  private static final Pattern DOCUMENT =
      Pattern.compile("(?<![\\w/.-])((?:[\\w-]+/)+[\\w.-]+\\.md)\\b");
  private static final Pattern CITATION =
      Pattern.compile("Cloudinary contract ((?:§\\d+(?:, | and )?)+|OQ \\d+)");
  private static final Pattern NUMBER = Pattern.compile("\\d+");
  private static final String CONTRACT = "docs/cloudinary-contract.md";
  private static final Set<String> SKIPPED_DIRECTORIES = Set.of("target", "node_modules");

  private final Path root;
  private final Set<String> excluded;
  private final List<String> problems = new ArrayList<>();
  private final Map<Path, Set<String>> anchors = new HashMap<>();

  private RepositoryReferences(Path root, Set<String> excluded) {
    this.root = root.toAbsolutePath().normalize();
    this.excluded = excluded;
  }

  /**
   * Every problem under {@code root}.
   *
   * @param excluded file names not read (the files that spell out the patterns themselves)
   */
  static List<String> problems(Path root, Set<String> excluded) throws IOException {
    RepositoryReferences refs = new RepositoryReferences(root, excluded);
    for (Path file : refs.textFiles()) {
      refs.check(file);
    }
    return refs.problems;
  }

  /** The reactor root: the nearest directory above the working directory with a module pom. */
  static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isRegularFile(dir.resolve("app/pom.xml"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("no app/pom.xml above the working directory");
    }
    return dir;
  }

  private List<Path> textFiles() throws IOException {
    List<Path> files = new ArrayList<>();
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
            String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
            boolean skip =
                !dir.equals(root)
                    && (name.startsWith(".")
                        || SKIPPED_DIRECTORIES.contains(name)
                        || dir.equals(root.resolve("data")));
            return skip ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            if (isText(file.getFileName().toString())) {
              files.add(file);
            }
            return FileVisitResult.CONTINUE;
          }
        });
    files.sort(null);
    return files;
  }

  private boolean isText(String name) {
    boolean text =
        name.endsWith(".md")
            || name.endsWith(".java")
            || name.endsWith(".conf")
            || name.endsWith(".sh")
            || name.equals("pom.xml");
    return text && !excluded.contains(name);
  }

  private void check(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    boolean markdown = file.getFileName().toString().endsWith(".md");
    boolean fenced = false;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      String where = root.relativize(file) + ":" + (i + 1) + ": ";
      OUTSIDE.forEach(
          (pattern, what) -> {
            Matcher m = pattern.matcher(line);
            if (m.find()) {
              problems.add(where + "'" + m.group() + "' names " + what);
            }
          });
      documents(line, where);
      citations(line, where);
      if (markdown && line.stripLeading().startsWith("```")) {
        fenced = !fenced;
      } else if (markdown && !fenced) {
        links(file, line, where);
      }
    }
  }

  /** {@code dir/NAME.md} in any text, where {@code dir} is a directory of the repository. */
  private void documents(String line, String where) {
    Matcher m = DOCUMENT.matcher(line);
    while (m.find()) {
      String path = m.group(1);
      String first = path.substring(0, path.indexOf('/'));
      boolean inRepository =
          Files.isDirectory(root.resolve(first))
              && !first.equals("data")
              && !SKIPPED_DIRECTORIES.contains(first);
      if (inRepository && !Files.isRegularFile(root.resolve(path))) {
        problems.add(where + "names " + path + ", which the repository does not have");
      }
    }
  }

  /** {@code Cloudinary contract §N} and {@code ... OQ N} need that section or open question. */
  private void citations(String line, String where) throws IOException {
    Matcher m = CITATION.matcher(line);
    while (m.find()) {
      boolean question = m.group(1).startsWith("OQ");
      Matcher n = NUMBER.matcher(m.group(1));
      while (n.find()) {
        String wanted = question ? "| OQ " + n.group() + " |" : "## " + n.group() + ". ";
        if (!contract().contains(wanted)) {
          problems.add(where + "cites " + m.group() + ", which " + CONTRACT + " does not have");
        }
      }
    }
  }

  private String contract() throws IOException {
    Path file = root.resolve(CONTRACT);
    return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
  }

  private void links(Path file, String line, String where) throws IOException {
    Matcher m = LINK.matcher(line);
    while (m.find()) {
      String target = m.group(1);
      if (target.matches("(?i)[a-z][a-z0-9+.-]*:.*")) {
        continue; // http:, https:, mailto: leave the repository on purpose
      }
      int hash = target.indexOf('#');
      String path = hash < 0 ? target : target.substring(0, hash);
      Path resolved = path.isEmpty() ? file : file.getParent().resolve(path).normalize();
      if (!resolved.startsWith(root)) {
        problems.add(where + "links " + target + " outside the repository");
      } else if (!Files.exists(resolved)) {
        problems.add(where + "links " + target + ", which does not exist");
      } else if (hash >= 0 && !anchorsOf(resolved).contains(target.substring(hash + 1))) {
        problems.add(where + "links " + target + ", whose anchor has no heading");
      }
    }
  }

  /** The anchors GitHub gives a markdown file's headings (duplicates get -1, -2, ...). */
  private Set<String> anchorsOf(Path file) throws IOException {
    Set<String> known = anchors.get(file);
    if (known != null) {
      return known;
    }
    known = new HashSet<>();
    if (file.getFileName().toString().endsWith(".md")) {
      Map<String, Integer> seen = new HashMap<>();
      boolean fenced = false;
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (line.stripLeading().startsWith("```")) {
          fenced = !fenced;
        } else if (!fenced && line.matches("#{1,6} .*")) {
          String slug = slug(line.replaceFirst("#+ ", ""));
          int count = seen.merge(slug, 1, Integer::sum);
          known.add(count == 1 ? slug : slug + "-" + (count - 1));
        }
      }
    }
    anchors.put(file, known);
    return known;
  }

  /** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens. */
  static String slug(String heading) {
    return heading
        .strip()
        .toLowerCase(Locale.ROOT)
        .replaceAll("[^\\p{L}\\p{N} _-]", "")
        .replace(' ', '-');
  }
}
