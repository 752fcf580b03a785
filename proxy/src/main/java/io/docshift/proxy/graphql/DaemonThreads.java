package io.docshift.proxy.graphql;

import java.util.concurrent.ThreadFactory;

/** Named daemon threads for the endpoint's background work: none of it may keep a JVM alive. */
final class DaemonThreads {
  private DaemonThreads() {}

  static ThreadFactory named(String name) {
    return task -> {
      Thread thread = new Thread(task, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}
