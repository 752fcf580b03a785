package io.docshift.app;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The command line of a {@code docshift} child JVM on the test's own classes: the one place that
 * says how tests start {@code serve} and {@code backfill} as real processes (killed, restarted and
 * drained as an operator would). The first call prepares a class-data archive for every child of
 * this test JVM ({@link ChildClassArchive}, some seconds, once); without one, children start from
 * the test's class path.
 */
public final class ChildJvm {
  /**
   * A child lives seconds and is often killed: C1 only and the serial collector start it and answer
   * its first requests sooner (fewer compiler and GC threads on two cores shared with the test and
   * its stores); the code it runs is the same.
   */
  /**
   * What {@code docshift serve} prints once it is up and its signal handlers are in (the start of
   * {@code ServeCommand}'s banner line).
   */
  public static final String SERVE_BANNER = "DocShift proxy on ";

  private static final List<String> FLAGS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

  private ChildJvm() {}

  /**
   * {@code java <flags> -cp <class path> io.docshift.app.Main <args>}, as a mutable list the caller
   * may extend with more arguments.
   */
  public static List<String> command(String... args) {
    requireNonNull(args, "args");
    List<String> command = new ArrayList<>(Launch.PREFIX);
    command.add(Main.class.getName());
    command.addAll(List.of(args));
    return command;
  }

  /** Built on first use, by one thread, for the life of the test JVM. */
  private static final class Launch {
    static final List<String> PREFIX = prefix();

    private static List<String> prefix() {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      Optional<ChildClassArchive.Archive> archive = ChildClassArchive.prepare(java, FLAGS);
      List<String> prefix = new ArrayList<>(List.of(java));
      prefix.addAll(FLAGS);
      archive.ifPresent(a -> prefix.add("-XX:SharedArchiveFile=" + a.file()));
      prefix.add("-cp");
      prefix.add(archive.map(a -> a.classPath()).orElse(System.getProperty("java.class.path")));
      return List.copyOf(prefix);
    }
  }
}
