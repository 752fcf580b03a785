package io.docshift.read;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.docshift.core.key.DocumentKey;
import io.docshift.ledger.DocumentRecord;
import io.docshift.ledger.LedgerKey;
import io.docshift.ledger.S3State;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * Answers "may S3 serve this original?" from the ledger, through a bounded Caffeine cache so a
 * request costs no database round trip: yes only when the ledger row says the S3 copy is {@link
 * S3State#VERIFIED} and the requested format is the stored original's (raw: both absent).
 *
 * <p>Rows (and their absence) are cached for {@code ttl}, so a state change reaches the read path
 * at most {@code ttl} later unless the writer calls {@link #invalidate}. Lookups run on {@code
 * executor} (JDBC blocks), never on the calling thread; concurrent misses for one key share one
 * lookup. A failed lookup is not cached: the future fails and the caller reads from Cloudinary.
 *
 * <p>Once a {@link ChangeFeed} keeps the cache current, an entry is trusted for the TTL only while
 * the feed keeps up: when its last successful poll is older than the feed's bound (it fails, or
 * hangs), an entry read longer ago than that bound is read again before it answers, so another
 * instance's change still reaches this one's reads within the bound.
 */
public final class VerifiedCopies {
  /**
   * What the read path needs from a ledger row; {@code removed}: a tombstone of a delete or rename
   * (not of access control).
   */
  private record Copy(S3State state, String format, String md5, String sha256, boolean removed) {}

  /** A row (or its absence) as read at {@code readAt} ({@link Ticker} nanos, before the read). */
  private record Entry(Optional<Copy> copy, long readAt) {}

  /** {@link #maxLagNanos} when no feed follows the ledger: the TTL alone bounds staleness. */
  private static final long NO_FEED = -1;

  private final AsyncLoadingCache<LedgerKey, Entry> cache;
  private final Ticker ticker;
  private volatile long maxLagNanos = NO_FEED;
  private volatile long caughtUpAt;

  private VerifiedCopies(AsyncLoadingCache<LedgerKey, Entry> cache, Ticker ticker) {
    this.cache = cache;
    this.ticker = ticker;
  }

  /**
   * @param lookup reads one ledger row (e.g. {@code ledger.documents()::find}); may block
   * @param executor runs lookups
   * @param ttl how long a row is trusted, > 0
   * @param maxEntries most rows kept, > 0
   * @param ticker time source for expiry
   */
  public static VerifiedCopies create(
      Function<LedgerKey, Optional<DocumentRecord>> lookup,
      Executor executor,
      Duration ttl,
      long maxEntries,
      Ticker ticker) {
    requireNonNull(lookup, "lookup");
    requireNonNull(executor, "executor");
    requireNonNull(ttl, "ttl");
    requireNonNull(ticker, "ticker");
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl: " + ttl + " (expected: > 0)");
    }
    if (maxEntries <= 0) {
      throw new IllegalArgumentException("maxEntries: " + maxEntries + " (expected: > 0)");
    }
    AsyncLoadingCache<LedgerKey, Entry> cache =
        Caffeine.newBuilder()
            .maximumSize(maxEntries)
            .expireAfterWrite(ttl)
            .ticker(ticker)
            .executor(executor)
            .buildAsync(key -> read(lookup, key, ticker));
    return new VerifiedCopies(cache, ticker);
  }

  private static Entry read(
      Function<LedgerKey, Optional<DocumentRecord>> lookup, LedgerKey key, Ticker ticker) {
    long readAt = ticker.read(); // before the read: the row is at least this fresh
    Optional<Copy> copy =
        lookup
            .apply(key)
            .map(
                row ->
                    new Copy(
                        row.state(),
                        row.asset().format(),
                        row.s3().md5(),
                        row.s3().sha256(),
                        row.removed()));
    return new Entry(copy, readAt);
  }

  /**
   * Completes with whether S3 may serve {@code key}: verified copy and same format; fails when the
   * ledger cannot be read.
   */
  public CompletableFuture<Boolean> servable(DocumentKey key) {
    return lookup(key).thenApply(answer -> answer.verifiedCopy().isPresent());
  }

  /**
   * Completes with all the read path needs to know of {@code key} from one (cached) ledger read:
   * the digest of its S3 copy when S3 may serve it (verified, and the requested format is the
   * stored one), and whether the document was removed through DocShift (any format); fails when the
   * ledger cannot be read.
   */
  CompletableFuture<LedgerAnswer> lookup(DocumentKey key) {
    requireNonNull(key, "key");
    String format = key.format().orElse(null);
    return current(LedgerKey.of(key))
        .thenApply(entry -> entry.copy().map(c -> answer(c, format)).orElse(LedgerAnswer.NEITHER));
  }

  private static LedgerAnswer answer(Copy copy, String format) {
    Optional<ExpectedDigest> verified =
        copy.state() == S3State.VERIFIED && Objects.equals(copy.format(), format)
            ? Optional.of(ExpectedDigest.of(copy.md5(), copy.sha256()))
            : Optional.empty();
    return new LedgerAnswer(verified, copy.removed());
  }

  /** The cached entry of {@code key}, read again first when the feed is too far behind to vouch. */
  private CompletableFuture<Entry> current(LedgerKey key) {
    CompletableFuture<Entry> entry = cache.get(key);
    if (entry.isDone() && !entry.isCompletedExceptionally() && !trusted(entry.join())) {
      cache.synchronous().invalidate(key);
      entry = cache.get(key);
    }
    return entry;
  }

  /**
   * Whether {@code entry} may still answer: a change committed after it was read is seen by the
   * first feed poll that starts after the commit, so the entry is right unless that poll is
   * missing, and the bound is kept when either the entry or the last successful poll is within it.
   */
  private boolean trusted(Entry entry) {
    long maxLag = maxLagNanos;
    if (maxLag == NO_FEED) {
      return true;
    }
    long now = ticker.read();
    return now - entry.readAt() < maxLag || now - caughtUpAt < maxLag;
  }

  /** The cache's time ({@link Ticker} nanos), for a feed marking when its poll starts. */
  long now() {
    return ticker.read();
  }

  /**
   * From now on a feed keeps this cache current within {@code maxLag}; it has applied every change
   * committed before {@code mark} ({@link #now}).
   */
  void followed(Duration maxLag, long mark) {
    caughtUpAt = mark;
    maxLagNanos = maxLag.toNanos();
  }

  /** The feed applied every change committed before {@code mark}; only its poller calls this. */
  void caughtUp(long mark) {
    caughtUpAt = mark;
  }

  /**
   * Stops S3 serving {@code key}'s document from this instance at once, before the ledger says so:
   * cached as a {@code mismatch} row until {@link #invalidate} or the TTL reloads the row.
   */
  void distrust(DocumentKey key) {
    cache.put(
        LedgerKey.of(key),
        CompletableFuture.completedFuture(
            new Entry(
                Optional.of(new Copy(S3State.MISMATCH, null, null, null, false)), ticker.read())));
  }

  /** Forgets what is cached for {@code key}'s document, e.g. after a write changed its row. */
  public void invalidate(DocumentKey key) {
    invalidate(LedgerKey.of(key));
  }

  /** The same by ledger key, for deletes and renames that know no format. */
  public void invalidate(LedgerKey key) {
    cache.synchronous().invalidate(requireNonNull(key, "key"));
  }
}
