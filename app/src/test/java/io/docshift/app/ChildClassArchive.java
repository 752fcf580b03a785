package io.docshift.app;

import io.docshift.core.config.DocShiftConfig;
import io.docshift.testkit.Eventually;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An application class-data archive (AppCDS) for the {@code docshift} child JVMs of one test JVM: a
 * child started with it maps the classes a {@code serve} start loads instead of loading and
 * verifying them from the class path again, which halves its start on two busy cores (about 5 s to
 * 2.5 s; the suite starts some 35 children). The JVM archives classes from jars only, so the class
 * path's directories ({@code target/classes}) are copied into jars first; a training {@code serve}
 * on throwaway stores and ledger then writes the archive as it exits on SIGTERM.
 *
 * <p>Any failure here only costs the speed-up: {@link #prepare} answers empty and children start
 * from the test's own class path, as before. A child whose archive does not match is started all
 * the same by the JVM, without it.
 */
final class ChildClassArchive {
  private static final Logger LOG = LoggerFactory.getLogger(ChildClassArchive.class);
  private static final long TRAINING_SECONDS = 90;

  /** The class path the archive was written for, and the archive. */
  record Archive(String classPath, Path file) {}

  private ChildClassArchive() {}

  /**
   * Jars the class path's directories and trains an archive with {@code java} plus {@code flags};
   * empty if any step fails.
   */
  static Optional<Archive> prepare(String java, List<String> flags) {
    try {
      Path dir = Files.createTempDirectory("docshift-child-classes");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(dir)));
      String classPath = jarredClassPath(dir);
      Path file = dir.resolve("children.jsa");
      if (train(java, flags, classPath, dir, file)) {
        return Optional.of(new Archive(classPath, file));
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("child JVMs start without a class-data archive", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return Optional.empty();
  }

  private static String jarredClassPath(Path dir) throws IOException {
    List<String> entries = new ArrayList<>();
    int n = 0;
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path path = Path.of(entry);
      if (Files.isDirectory(path)) {
        Path jar = dir.resolve("classes-" + n++ + ".jar");
        jar(path, jar);
        entries.add(jar.toString());
      } else {
        entries.add(entry);
      }
    }
    return String.join(File.pathSeparator, entries);
  }

  /**
   * Copies {@code classes} into {@code jar}, directories included: a class path scan (Flyway's
   * migrations, for one) finds a package in a jar by its directory entry.
   */
  private static void jar(Path classes, Path jar) throws IOException {
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
        Stream<Path> paths = Files.walk(classes)) {
      for (Path path : (Iterable<Path>) paths.skip(1)::iterator) {
        String name = classes.relativize(path).toString().replace(File.separatorChar, '/');
        boolean directory = Files.isDirectory(path);
        out.putNextEntry(new JarEntry(directory ? name + "/" : name));
        if (!directory) {
          Files.copy(path, out);
        }
        out.closeEntry();
      }
    }
  }

  /**
   * Starts {@code serve} on ephemeral ports over stores nobody listens on, waits (bounded) for its
   * banner, stops it with SIGTERM and returns whether it wrote {@code file} as it exited.
   */
  private static boolean train(
      String java, List<String> flags, String classPath, Path dir, Path file)
      throws IOException, InterruptedException {
    Path log = dir.resolve("training.log");
    Process serve =
        new ProcessBuilder(trainingCommand(java, flags, classPath, dir, file))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    boolean up =
        Eventually.holdsWithin(Duration.ofSeconds(TRAINING_SECONDS), () -> bannerOrEnd(serve, log));
    boolean listening = up && serve.isAlive();
    serve.destroy();
    boolean exited = serve.waitFor(TRAINING_SECONDS, TimeUnit.SECONDS);
    if (!listening || !exited || !Files.isRegularFile(file)) {
      serve.destroyForcibly();
      LOG.warn(
          "no class-data archive for child JVMs (training serve listening {}, exited {}): {}",
          listening,
          exited,
          Files.readString(log, StandardCharsets.UTF_8));
      return false;
    }
    return true;
  }

  private static List<String> trainingCommand(
      String java, List<String> flags, String classPath, Path dir, Path file) throws IOException {
    Path conf = dir.resolve("training.conf");
    Files.writeString(conf, DocShiftConfig.defaults().render(), StandardCharsets.UTF_8);
    List<String> command = new ArrayList<>(List.of(java));
    command.addAll(flags);
    command.add("-XX:ArchiveClassesAtExit=" + file);
    command.addAll(List.of("-cp", classPath, Main.class.getName(), "serve"));
    command.addAll(List.of("--config", conf.toString()));
    for (String set : trainingSettings(dir)) {
      command.addAll(List.of("--set", set));
    }
    return command;
  }

  private static boolean bannerOrEnd(Process serve, Path log) throws IOException {
    return !serve.isAlive()
        || Files.readString(log, StandardCharsets.UTF_8).contains(ChildJvm.SERVE_BANNER);
  }

  private static List<String> trainingSettings(Path dir) {
    return List.of(
        "proxy.port=0",
        "admin.port=0",
        "admin.token=" + "0123456789abcdef".repeat(2),
        "shutdown.readinessDelayMillis=0",
        "ledger.url=jdbc:h2:file:" + dir.resolve("ledger"),
        "proxy.spoolDir=" + dir.resolve("spool"),
        "cloudinary.cloudName=training",
        "cloudinary.apiKey=training",
        "cloudinary.apiSecret=training",
        "s3.bucket=training",
        "s3.accessKey=training",
        "s3.secretKey=training",
        // Nothing listens there: the training only starts, it sends no request.
        "s3.endpoint=http://127.0.0.1:9");
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException ignored) {
      // A temporary directory the OS cleans up in the end.
    }
  }
}
