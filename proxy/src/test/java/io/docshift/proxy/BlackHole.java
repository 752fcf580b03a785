package io.docshift.proxy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An address whose TCP SYNs are dropped: a connect to it neither succeeds nor is refused, it hangs
 * until the caller's connect timeout. Preferably a network namespace this test makes, joined to
 * ours by a veth pair, with {@code iptables -j DROP} for every SYN inside it; when that cannot be
 * made (no {@code ip}/{@code iptables}, no CAP_NET_ADMIN) an unroutable address that this machine's
 * routes black-hole, probed first. When neither works it fails loudly with the reasons, never
 * skips.
 */
final class BlackHole implements AutoCloseable {
  private static final String UNROUTABLE = "10.255.255.1";
  static final int PORT = 8443;

  private final String host;
  private final String how;
  private final String namespace;

  private BlackHole(String host, String how, String namespace) {
    this.host = host;
    this.how = how;
    this.namespace = namespace;
  }

  /** A namespace with iptables when possible, else a probed unroutable address. */
  static BlackHole open() {
    List<String> reasons = new ArrayList<>();
    long pid = ProcessHandle.current().pid();
    String ns = "dsbh" + pid;
    int block = (int) (pid % 262_144); // a /30 of 10.240.0.0/12 per process
    String ours = address(block, 1);
    String theirs = address(block, 2);
    try {
      installTools();
      run("ip", "netns", "add", ns);
      try {
        run(
            "ip",
            "link",
            "add",
            "dsa" + pid,
            "type",
            "veth",
            "peer",
            "name",
            "dsb" + pid,
            "netns",
            ns);
        run("ip", "addr", "add", ours + "/30", "dev", "dsa" + pid);
        run("ip", "link", "set", "dsa" + pid, "up");
        run("ip", "netns", "exec", ns, "ip", "addr", "add", theirs + "/30", "dev", "dsb" + pid);
        run("ip", "netns", "exec", ns, "ip", "link", "set", "dsb" + pid, "up");
        run(
            "ip",
            "netns",
            "exec",
            ns,
            "iptables",
            "-A",
            "INPUT",
            "-p",
            "tcp",
            "--syn",
            "-j",
            "DROP");
        return new BlackHole(theirs, "netns " + ns + " with iptables DROP of every SYN", ns);
      } catch (IOException e) {
        deleteNamespace(ns);
        throw e;
      }
    } catch (IOException e) {
      reasons.add("network namespace: " + e.getMessage());
    }
    if (dropsSyns(UNROUTABLE)) {
      return new BlackHole(UNROUTABLE, "unroutable address " + UNROUTABLE, null);
    }
    reasons.add("unroutable " + UNROUTABLE + ": a connect did not hang (refused or unreachable)");
    throw new AssertionError("no way to make a store that drops SYNs: " + reasons);
  }

  URI url() {
    return URI.create("http://" + host + ":" + PORT);
  }

  String host() {
    return host;
  }

  /** How the SYNs are dropped, for the test's report. */
  String how() {
    return how;
  }

  @Override
  public void close() {
    if (namespace != null) {
      deleteNamespace(namespace); // takes the veth pair with it
    }
  }

  private static String address(int block, int host) {
    int a = (10 << 24) | (0xF0 << 16) | (block << 2) | host;
    return ((a >>> 24) & 255)
        + "."
        + ((a >>> 16) & 255)
        + "."
        + ((a >>> 8) & 255)
        + "."
        + (a & 255);
  }

  private static boolean dropsSyns(String address) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(address, PORT), 500);
      return false;
    } catch (SocketTimeoutException e) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void deleteNamespace(String ns) {
    try {
      run("ip", "netns", "del", ns);
    } catch (IOException e) {
      throw new IllegalStateException("cannot remove network namespace " + ns, e);
    }
  }

  /**
   * Installs {@code ip} and {@code iptables} from Debian when missing, through the project's
   * script: the fallback address is not a black hole on every machine (some networks answer any
   * connect), so a fresh machine must get the namespace, not the guess.
   */
  private static void installTools() throws IOException {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("loadtest"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IOException("no loadtest/ above " + Path.of("").toAbsolutePath());
    }
    Process p =
        new ProcessBuilder(
                "bash",
                dir.resolve("loadtest/install-tools.sh").toString(),
                "ip:iproute2",
                "iptables:iptables")
            .inheritIO()
            .start();
    try {
      if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IOException("loadtest/install-tools.sh could not install ip and iptables");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private static void run(String... command) throws IOException {
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IOException(command[0] + " not runnable: " + e.getMessage(), e);
    }
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", command) + ": no exit within 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (p.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + ": exit " + p.exitValue() + " " + output);
    }
  }
}
