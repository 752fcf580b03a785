package io.docshift.app.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.app.Main;
import io.docshift.app.logging.LogFormat;
import io.docshift.core.config.DocShiftConfig;
import io.docshift.core.key.LogIds;
import io.docshift.proxy.admin.AdminServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The Dockerfile, the Kubernetes manifests and the systemd unit cannot run here (no container
 * engine, no cluster), so they are checked against the code instead: the jar the build produces,
 * the default ports, the probe paths, the commands and options they run, and every {@code
 * DOCSHIFT_*} variable and config key they set. A renamed key, port, path or option fails the
 * build, not a deploy.
 */
class PackagingFilesTest {
  private static final Set<String> OTHER_VARIABLES = Set.of("JAVA_TOOL_OPTIONS", "POD_NAME");
  private static final Pattern VARIABLE = Pattern.compile("\\b(DOCSHIFT_[A-Z0-9_]+)");

  static Path root() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isRegularFile(dir.resolve("Dockerfile"))) {
      dir = dir.getParent();
    }
    assertThat(dir).as("Dockerfile above the working directory").isNotNull();
    return dir;
  }

  static String read(String path) throws IOException {
    return Files.readString(root().resolve(path), StandardCharsets.UTF_8);
  }

  /** The runnable jar's file name: the shade plugin's finalName in app/pom.xml. */
  static String jarName() throws IOException {
    Matcher m = Pattern.compile("<finalName>([^<]+)</finalName>").matcher(read("app/pom.xml"));
    assertThat(m.find()).as("finalName in app/pom.xml").isTrue();
    return m.group(1) + ".jar";
  }

  /** Every {@code DOCSHIFT_*} name is a config key's variable or one the code reads itself. */
  static void assertKnownVariables(String text, String where) {
    Set<String> known =
        DocShiftConfig.knownKeys().stream()
            .map(DocShiftConfig::environmentVariable)
            .collect(Collectors.toSet());
    known.add(LogFormat.ENVIRONMENT);
    known.add(LogIds.ENV);
    Matcher m = VARIABLE.matcher(text);
    int found = 0;
    while (m.find()) {
      found++;
      assertThat(known).as("%s in %s", m.group(1), where).contains(m.group(1));
    }
    assertThat(found).as("DOCSHIFT_* variables in %s", where).isPositive();
  }

  /** The command line {@code args} runs exists, with every option it passes. */
  static void assertCommandExists(List<String> args, String where) {
    CommandLine command = Main.commandLine();
    int i = 0;
    while (i < args.size() && command.getSubcommands().containsKey(args.get(i))) {
      command = command.getSubcommands().get(args.get(i));
      i++;
    }
    assertThat(i).as("a docshift subcommand in %s: %s", where, args).isPositive();
    for (String arg : args.subList(i, args.size())) {
      if (arg.startsWith("--")) {
        assertThat(command.getCommandSpec().findOption(arg))
            .as("option %s of '%s' in %s", arg, command.getCommandName(), where)
            .isNotNull();
      }
    }
  }

  static DocShiftConfig defaults() {
    return DocShiftConfig.defaults();
  }

  @Test
  void theSystemdUnitRunsTheJarWithKnownCommandsAndVariables() throws IOException {
    String unit = read("deploy/docshift.service");
    assertThat(unit).contains("[Unit]", "[Service]", "[Install]", "User=docshift");
    assertKnownVariables(unit, "docshift.service");
    Matcher exec = Pattern.compile("(?m)^ExecStart(?:Pre)?=(.+)$").matcher(unit);
    int commands = 0;
    while (exec.find()) {
      List<String> words = List.of(exec.group(1).strip().split("\\s+"));
      int jar = words.indexOf("-jar");
      assertThat(jar).as("-jar in %s", exec.group()).isPositive();
      assertThat(words.get(jar + 1)).isEqualTo("/opt/docshift/" + jarName());
      assertCommandExists(words.subList(jar + 2, words.size()), "docshift.service");
      commands++;
    }
    assertThat(commands).isEqualTo(2);
    assertThat(unit).contains("ExecStart=", " serve --config ");
  }

  @Test
  void theDockerfileBuildsTheJarAndRunsItAsNonRootWithTheProbe() throws IOException {
    String docker = read("Dockerfile");
    List<String> lines = instructions(docker);
    List<String> froms = lines.stream().filter(l -> l.startsWith("FROM ")).toList();
    assertThat(froms).hasSize(2);
    assertThat(froms.get(0)).endsWith(" AS build");

    String jar = "/opt/docshift/" + jarName();
    assertThat(lines).contains("COPY --from=build /src/app/target/" + jarName() + " " + jar);
    for (String copy : lines.stream().filter(l -> l.startsWith("COPY ")).toList()) {
      String source = copy.split("\\s+")[1];
      if (!source.startsWith("--from")) {
        assertThat(root().resolve(source)).as("COPY source %s", source).exists();
      }
    }

    assertThat(lines).contains("USER 10001:10001");
    DocShiftConfig defaults = defaults();
    assertThat(lines).contains("EXPOSE " + defaults.proxy().port() + " " + defaults.admin().port());
    assertThat(docker)
        .contains("http://127.0.0.1:" + defaults.admin().port() + AdminServer.LIVE_PATH + " ");
    assertThat(lines).anyMatch(l -> l.startsWith("HEALTHCHECK ") && l.contains("/livez"));
    assertThat(lines).contains("ENTRYPOINT [\"java\", \"-jar\", \"" + jar + "\"]");
    String cmd = lines.stream().filter(l -> l.startsWith("CMD ")).findFirst().orElseThrow();
    assertCommandExists(jsonWords(cmd.substring(4)), "Dockerfile CMD");
    assertKnownVariables(docker, "Dockerfile");
  }

  /** The Dockerfile's instructions, continuation lines joined, comments dropped. */
  static List<String> instructions(String dockerfile) {
    String joined = dockerfile.replaceAll("\\\\\n\\s*", " ");
    return joined
        .lines()
        .map(String::strip)
        .filter(l -> !l.isEmpty() && !l.startsWith("#"))
        .map(l -> l.replaceAll("\\s+", " "))
        .toList();
  }

  /** {@code ["a", "b"]} as a list of words. */
  static List<String> jsonWords(String array) {
    String inner = array.strip();
    inner = inner.substring(1, inner.length() - 1);
    return java.util.Arrays.stream(inner.split(",")).map(w -> w.strip().replace("\"", "")).toList();
  }

  /** The list at {@code path} in parsed YAML. */
  @SuppressWarnings("unchecked")
  static <T> List<T> list(Map<String, Object> node, String... path) {
    Object current = node;
    for (String step : path) {
      current = ((Map<String, Object>) current).get(step);
      assertThat(current).as(String.join(".", path)).isNotNull();
    }
    return (List<T>) current;
  }
}
