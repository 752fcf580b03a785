package io.docshift.app.backfill;

import io.docshift.app.ChildJvm;
import io.docshift.app.ChildLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code docshift backfill} in child JVMs on the test's class path, output kept per run (and past
 * the test, with its tail in the failure, when a run does not end: {@link ChildLog}).
 */
final class ChildRuns {
  private final Path config;
  private final Path logs;
  private final Path spool;

  ChildRuns(Path config, Path logs, Path spool) {
    this.config = config;
    this.logs = logs;
    this.spool = spool;
  }

  /** What one finished run printed, and its exit code. */
  record Result(int code, String output) {}

  Process start(String name, String... extra) throws IOException {
    List<String> command =
        ChildJvm.command(
            "backfill", "--config", config.toString(), "--spool-dir", spool.toString());
    command.addAll(List.of(extra));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log(name).toFile())
        .start();
  }

  /** Runs to the end (bounded: 90 s). */
  Result run(String name, String... extra) throws IOException, InterruptedException {
    return await(name, start(name, extra));
  }

  /** Waits for a run {@link #start}ed as {@code name} to end (bounded: 90 s). */
  Result await(String name, Process child) throws IOException, InterruptedException {
    if (!child.waitFor(90, TimeUnit.SECONDS)) {
      child.destroyForcibly();
      throw new ChildLog(log(name)).failure("backfill " + name + " still running 90 s later", null);
    }
    return new Result(child.exitValue(), Files.readString(log(name), StandardCharsets.UTF_8));
  }

  private Path log(String name) {
    return logs.resolve("backfill-" + name + ".log");
  }
}
