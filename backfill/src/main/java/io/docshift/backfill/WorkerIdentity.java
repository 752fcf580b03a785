package io.docshift.backfill;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A backfill process's stable name on ledger leases, kept in a state directory: slot {@code n} is a
 * file {@code backfill-worker-n.id} holding a name made once ({@code host-8 hex digits}) and a lock
 * file the process holds while it runs. A process takes the lowest slot no live process holds, so a
 * restarted worker gets back the name (and so the leases) of the one that died, at once, while two
 * processes running side by side never share a name. The operating system drops the lock of a
 * killed process, so {@code kill -9} frees the slot.
 *
 * <p>Close to give the slot up.
 */
public final class WorkerIdentity implements AutoCloseable {
  /** More backfill processes than this on one state directory is a mistake, not a fleet. */
  static final int MAX_SLOTS = 64;

  private static final SecureRandom RANDOM = new SecureRandom();

  private final String id;
  private final FileChannel channel;
  private final FileLock lock;

  private WorkerIdentity(String id, FileChannel channel, FileLock lock) {
    this.id = id;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lowest free slot in {@code stateDir} (created if missing) and returns its name.
   *
   * @throws UncheckedIOException if the directory or its files cannot be used
   * @throws IllegalStateException if every slot is held by a live process
   */
  public static WorkerIdentity claim(Path stateDir) {
    requireNonNull(stateDir, "stateDir");
    try {
      Files.createDirectories(stateDir);
      for (int slot = 1; slot <= MAX_SLOTS; slot++) {
        WorkerIdentity identity = tryClaim(stateDir, slot);
        if (identity != null) {
          return identity;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep the worker identity in " + stateDir, e);
    }
    throw new IllegalStateException(
        MAX_SLOTS + " backfill processes already run on " + stateDir + "; pass --worker-id");
  }

  private static WorkerIdentity tryClaim(Path dir, int slot) throws IOException {
    FileChannel channel =
        FileChannel.open(
            dir.resolve("backfill-worker-" + slot + ".lock"),
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null; // held by this very JVM (another run in-process)
    }
    if (lock == null) {
      channel.close();
      return null;
    }
    try {
      return new WorkerIdentity(
          idOf(dir.resolve("backfill-worker-" + slot + ".id")), channel, lock);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /** The slot's name; made and stored the first time (atomically, under the slot's lock). */
  private static String idOf(Path file) throws IOException {
    if (Files.isRegularFile(file)) {
      String stored = Files.readString(file, StandardCharsets.UTF_8).strip();
      if (!stored.isEmpty()) {
        return stored;
      }
    }
    byte[] suffix = new byte[4];
    RANDOM.nextBytes(suffix);
    String id = host() + "-" + HexFormat.of().formatHex(suffix);
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(temp, id + "\n", StandardCharsets.UTF_8);
    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return id;
  }

  private static String host() {
    String host = System.getenv("HOSTNAME");
    if (host == null || host.isBlank()) {
      try {
        host = InetAddress.getLocalHost().getHostName();
      } catch (UnknownHostException e) {
        host = "host";
      }
    }
    String safe = host.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]", "-");
    return safe.length() > 40 ? safe.substring(0, 40) : safe;
  }

  /** This process's name on leases. */
  public String id() {
    return id;
  }

  /** Gives the slot up (the name stays on disk for the next process). Idempotent. */
  @Override
  public void close() {
    try {
      if (lock.isValid()) {
        lock.release();
      }
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot release the worker identity", e);
    }
  }
}
