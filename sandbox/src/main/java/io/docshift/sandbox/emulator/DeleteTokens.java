package io.docshift.sandbox.emulator;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Delete tokens: issued with an upload that asks {@code return_delete_token}, good for one {@code
 * delete_by_token} within 10 minutes (as Cloudinary documents). Kept in memory: a restart forgets
 * them, like any other short-lived session of the emulator.
 */
final class DeleteTokens {
  static final long VALID_SECONDS = 600;

  private static final SecureRandom RANDOM = new SecureRandom();

  private record Grant(AssetKey key, long expiresAt) {}

  private final Map<String, Grant> grants = new ConcurrentHashMap<>();
  private final Clock clock;

  DeleteTokens(Clock clock) {
    this.clock = clock;
  }

  /** A new token for the asset now at {@code key}. */
  String issue(AssetKey key) {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    String token = HexFormat.of().formatHex(bytes);
    grants.put(token, new Grant(key, now() + VALID_SECONDS));
    grants.values().removeIf(g -> g.expiresAt() < now());
    return token;
  }

  /** The asset a live token names; the token is spent either way. */
  Optional<AssetKey> redeem(String token) {
    Grant grant = grants.remove(token);
    return grant == null || grant.expiresAt() < now() ? Optional.empty() : Optional.of(grant.key());
  }

  private long now() {
    return clock.instant().getEpochSecond();
  }
}
