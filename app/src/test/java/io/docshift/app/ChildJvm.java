package io.docshift.app;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a {@code docshift} child JVM on the test's own class path: the one place that
 * says how tests start {@code serve} and {@code backfill} as real processes (killed, restarted and
 * drained as an operator would).
 */
public final class ChildJvm {
  /**
   * A child lives seconds and is often killed: C1 only and the serial collector start it and answer
   * its first requests sooner (fewer compiler and GC threads on two cores shared with the test and
   * its stores); the code it runs is the same.
   */
  private static final List<String> FLAGS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

  private ChildJvm() {}

  /**
   * {@code java <flags> -cp <test class path> io.docshift.app.Main <args>}, as a mutable list the
   * caller may extend with more arguments.
   */
  public static List<String> command(String... args) {
    requireNonNull(args, "args");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(FLAGS);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(List.of(args));
    return command;
  }
}
