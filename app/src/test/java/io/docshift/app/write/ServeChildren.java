package io.docshift.app.write;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@link ServeChild}ren one test starts and restarts, closed together (each killed if it still
 * runs) when the test ends, on every path: for a test whose children replace one another, so no
 * single try-with-resources holds each of them.
 */
final class ServeChildren implements AutoCloseable {
  private final List<ServeChild> started = new ArrayList<>();

  /** {@link ServeChild#start(Path, Path, int, int, String...)}, closed with this group. */
  ServeChild start(Path conf, Path log, int proxyPort, int adminPort, String... sets)
      throws Exception {
    ServeChild child = ServeChild.start(conf, log, proxyPort, adminPort, sets);
    started.add(child);
    return child;
  }

  /** {@link ServeChild#start(Path, Path, String...)}, closed with this group. */
  ServeChild start(Path conf, Path log, String... sets) throws Exception {
    return start(conf, log, 0, 0, sets);
  }

  @Override
  public void close() {
    started.forEach(ServeChild::close);
  }
}
