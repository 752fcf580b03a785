package io.docshift.proxy.admin;

import io.docshift.ledger.ConsoleSessionRows;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The operator console's signed-in sessions, kept in the ledger so that every admin listener on it
 * knows them: a browser behind a balancer without stickiness, or after a restart, stays signed in.
 * A random session id (the cookie) maps to the operator whose token signed in; the ledger holds
 * only the id's SHA-256. The CSRF token every console mutation must echo is derived from the id (a
 * SHA-256 under another label), so any listener can check it and the ledger never holds it either.
 * A session ends after {@link #idle} without use or {@link #absolute} after sign-in, whichever
 * comes first; at most {@link #capacity} live at once (the oldest go), so repeated sign-ins cannot
 * grow the table without bound. Time is an injected wall clock, shared across listeners and tested
 * without waiting. Thread-safe (the ledger serialises).
 */
final class ConsoleSessions {
  /** One signed-in operator. */
  record Session(String id, String operator, String csrf) {}

  /**
   * A use is written back at most this often: a polling page would otherwise write the ledger every
   * few seconds. The idle limit is therefore exact to within this.
   */
  static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

  private static final SecureRandom RANDOM = new SecureRandom();

  private final ConsoleSessionRows rows;
  private final Duration idle;
  private final Duration absolute;
  private final int capacity;
  private final Clock clock;

  ConsoleSessions(
      ConsoleSessionRows rows, Duration idle, Duration absolute, int capacity, Clock clock) {
    this.rows = rows;
    this.idle = idle;
    this.absolute = absolute;
    this.capacity = capacity;
    this.clock = clock;
  }

  /** How long the cookie may live: the absolute limit (the idle limit is enforced here). */
  Duration maxAge() {
    return absolute;
  }

  Session open(String operator) {
    Instant now = clock.instant();
    rows.deleteExpired(now.minus(idle), now.minus(absolute));
    rows.keepNewest(capacity - 1);
    String id = randomToken();
    rows.insert(hash("session", id), operator, now);
    return new Session(id, operator, hash("csrf", id));
  }

  /** The live session with this id, its use recorded; empty when unknown or expired. */
  Optional<Session> use(String id) {
    if (id == null) {
      return Optional.empty();
    }
    String key = hash("session", id);
    Optional<ConsoleSessionRows.Row> row = rows.find(key);
    if (row.isEmpty()) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    if (!now.isBefore(row.get().usedAt().plus(idle))
        || !now.isBefore(row.get().createdAt().plus(absolute))) {
      rows.delete(key);
      return Optional.empty();
    }
    if (!now.isBefore(row.get().usedAt().plus(TOUCH_EVERY))) {
      rows.touch(key, now);
    }
    return Optional.of(new Session(id, row.get().operator(), hash("csrf", id)));
  }

  void close(String id) {
    rows.delete(hash("session", id));
  }

  /** 256 random bits, URL-safe: unguessable as a session id. */
  private static String randomToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** SHA-256 of {@code label:id}, hex: labels keep the stored key and the CSRF token unrelated. */
  private static String hash(String label, String id) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return HexFormat.of()
          .formatHex(sha.digest((label + ":" + id).getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
