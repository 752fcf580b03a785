package io.docshift.proxy.admin;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The operator console's signed-in sessions, held in this admin server's memory: a random session
 * id (the cookie) maps to the operator whose token signed in and to a CSRF token that every console
 * mutation must echo. A session ends after {@link #idle} without use or {@link #absolute} after
 * sign-in, whichever comes first; at most {@link #capacity} live at once (the oldest goes), so
 * repeated sign-ins cannot grow memory without bound. Time comes from an injected nanosecond
 * ticker, so expiry is tested without waiting. Thread-safe.
 */
final class ConsoleSessions {
  /** One signed-in operator. */
  record Session(String id, String operator, String csrf, long createdNanos, long usedNanos) {}

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Duration idle;
  private final Duration absolute;
  private final int capacity;
  private final LongSupplier nanos;
  // Insertion order is sign-in order: the first entry is the oldest session.
  private final Map<String, Session> sessions = new LinkedHashMap<>();

  ConsoleSessions(Duration idle, Duration absolute, int capacity, LongSupplier nanos) {
    this.idle = idle;
    this.absolute = absolute;
    this.capacity = capacity;
    this.nanos = nanos;
  }

  /** How long the cookie may live: the absolute limit (the idle limit is enforced here). */
  Duration maxAge() {
    return absolute;
  }

  synchronized Session open(String operator) {
    expire();
    while (sessions.size() >= capacity) {
      Iterator<String> oldest = sessions.keySet().iterator();
      oldest.next();
      oldest.remove();
    }
    long now = nanos.getAsLong();
    Session session = new Session(randomToken(), operator, randomToken(), now, now);
    sessions.put(session.id(), session);
    return session;
  }

  /** The live session with this id, its idle clock restarted; empty when unknown or expired. */
  synchronized Optional<Session> use(String id) {
    if (id == null) {
      return Optional.empty();
    }
    Session session = sessions.get(id);
    if (session == null) {
      return Optional.empty();
    }
    long now = nanos.getAsLong();
    if (expired(session, now)) {
      sessions.remove(id);
      return Optional.empty();
    }
    Session used =
        new Session(session.id(), session.operator(), session.csrf(), session.createdNanos(), now);
    sessions.put(id, used);
    return Optional.of(used);
  }

  synchronized void close(String id) {
    sessions.remove(id);
  }

  synchronized int size() {
    expire();
    return sessions.size();
  }

  private void expire() {
    long now = nanos.getAsLong();
    sessions.values().removeIf(session -> expired(session, now));
  }

  private boolean expired(Session session, long now) {
    return now - session.usedNanos() >= idle.toNanos()
        || now - session.createdNanos() >= absolute.toNanos();
  }

  /** 256 random bits, URL-safe: unguessable as a session id and as a CSRF token. */
  private static String randomToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
