package io.docshift.core.store;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * A precondition on {@link DocumentStore#put}: write only if the key holds no object ({@link
 * #ifAbsent()}, S3 {@code If-None-Match: *}) or only if it still holds the object with this ETag
 * ({@link #ifMatch(String)}, S3 {@code If-Match}). A store that cannot honour a condition fails the
 * put rather than ignore it; a failed condition fails the put with a {@link StoreException} whose
 * cause carries HTTP status 412 (or 409 when S3 saw a concurrent conditional write).
 *
 * <p>The backfill uses this so a copy never replaces an object that a dual-write stored meanwhile.
 *
 * @param requireAbsent write only if no object exists
 * @param requireEtag write only if the current object's ETag equals this (quoted or bare)
 */
public record PutCondition(boolean requireAbsent, Optional<String> requireEtag) {
  private static final PutCondition NONE = new PutCondition(false, Optional.empty());
  private static final PutCondition ABSENT = new PutCondition(true, Optional.empty());

  /** Validates that at most one condition is set and the ETag is not blank. */
  public PutCondition {
    requireNonNull(requireEtag, "requireEtag");
    if (requireAbsent && requireEtag.isPresent()) {
      throw new IllegalArgumentException(
          "requireAbsent and requireEtag: both set (expected: at most one)");
    }
    requireEtag.ifPresent(
        etag -> {
          if (etag.isBlank()) {
            throw new IllegalArgumentException("requireEtag: <blank> (expected: an ETag)");
          }
        });
  }

  /** No precondition: the put replaces whatever is there. */
  public static PutCondition none() {
    return NONE;
  }

  /** Write only if the key holds no object. */
  public static PutCondition ifAbsent() {
    return ABSENT;
  }

  /** Write only if the key still holds the object with {@code etag}. */
  public static PutCondition ifMatch(String etag) {
    return new PutCondition(false, Optional.of(requireNonNull(etag, "etag")));
  }

  /** Whether any precondition is set. */
  public boolean isConditional() {
    return requireAbsent || requireEtag.isPresent();
  }
}
