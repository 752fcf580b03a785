package io.docshift.proxy.admin;

import io.docshift.ledger.AuditLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refused admin requests, counted per fixed window instead of written one by one: a token guesser
 * would otherwise fill the audit table and the log. Each window with refusals becomes one {@code
 * admin.refused} audit row (how many, from which peers, why), written by {@link #flush} once the
 * window is over. A peer refused {@code maxPerPeer} times in a window is locked out (429, its token
 * not even checked, so guessing cannot go on) until the window ends.
 *
 * <p>Time comes from an injected nanosecond clock, so windows are tested without sleeping.
 * Thread-safe: the admin workers share one instance.
 */
final class Refusals {
  static final String ACTION = "admin.refused";
  static final String ACTOR = "unauthenticated";
  private static final Logger LOG = LoggerFactory.getLogger(Refusals.class);
  private static final int MAX_PEERS = 1000;

  private final long windowNanos;
  private final int maxPerPeer;
  private final LongSupplier nanoTime;
  private final List<String> finished = new ArrayList<>();
  private final Map<String, Integer> byPeer = new LinkedHashMap<>();
  private final Map<String, Integer> byReason = new TreeMap<>();
  private long windowStart;
  private int total;

  Refusals(Duration window, int maxPerPeer, LongSupplier nanoTime) {
    this.windowNanos = window.toNanos();
    this.maxPerPeer = maxPerPeer;
    this.nanoTime = nanoTime;
    this.windowStart = nanoTime.getAsLong();
  }

  /** Whether {@code peer} is locked out for the rest of the window. */
  synchronized boolean blocked(String peer) {
    roll();
    return byPeer.getOrDefault(peer, 0) >= maxPerPeer;
  }

  /** Seconds until the current window ends (for {@code Retry-After}). */
  synchronized long secondsLeft() {
    long left = windowStart + windowNanos - nanoTime.getAsLong();
    return Math.max(1, (left + 999_999_999L) / 1_000_000_000L);
  }

  /**
   * Counts one refused request.
   *
   * @return whether it is the peer's first in this window (worth one log line)
   */
  synchronized boolean record(String peer, String why) {
    roll();
    String key = byPeer.containsKey(peer) || byPeer.size() < MAX_PEERS ? peer : "other peers";
    int seen = byPeer.merge(key, 1, Integer::sum);
    byReason.merge(why, 1, Integer::sum);
    total++;
    return seen == 1;
  }

  /** Appends one audit row per finished window; a failing ledger loses the rows, not requests. */
  void flush(AuditLog audit) {
    List<String> rows;
    synchronized (this) {
      roll();
      rows = List.copyOf(finished);
      finished.clear();
    }
    for (String row : rows) {
      try {
        audit.append(ACTOR, ACTION, null, row, reasons(row));
      } catch (RuntimeException e) {
        LOG.error("could not audit refused admin requests: {}", row, e);
      }
    }
  }

  /** Ends the current window now (at shutdown), so its refusals reach the next {@link #flush}. */
  synchronized void closeWindow() {
    finish();
  }

  private void roll() {
    long now = nanoTime.getAsLong();
    if (now - windowStart >= windowNanos) {
      finish();
      windowStart = now - (now - windowStart) % windowNanos;
    }
  }

  private void finish() {
    if (total > 0) {
      finished.add(summary());
    }
    byPeer.clear();
    byReason.clear();
    total = 0;
  }

  private String summary() {
    String peers =
        byPeer.entrySet().stream()
            .map(e -> e.getKey() + " x" + e.getValue())
            .collect(Collectors.joining(", "));
    String reasons =
        byReason.entrySet().stream()
            .map(e -> e.getKey() + " x" + e.getValue())
            .collect(Collectors.joining(", "));
    return total
        + " refused in "
        + Duration.ofNanos(windowNanos).toSeconds()
        + " s from "
        + peers
        + "; reasons: "
        + reasons;
  }

  private static String reasons(String row) {
    return row.substring(row.indexOf("; reasons: ") + "; reasons: ".length());
  }
}
