package io.docshift.proxy.admin;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.security.MessageDigest;
import java.util.Optional;

/**
 * Checks {@code Authorization: Bearer <token>} in constant time ({@link MessageDigest#isEqual},
 * which does not stop at the first differing byte). An empty configured token refuses everyone.
 */
final class BearerAuth {
  private static final String PREFIX = "Bearer ";
  private final byte[] token;

  BearerAuth(String token) {
    this.token = token.getBytes(UTF_8);
  }

  /** Empty when allowed; otherwise why the request is refused (for the audit trail). */
  Optional<String> refusal(String authorization) {
    if (token.length == 0) {
      return Optional.of("admin.token is not configured");
    }
    if (authorization == null || !authorization.regionMatches(true, 0, PREFIX, 0, 7)) {
      return Optional.of("no bearer token");
    }
    byte[] given = authorization.substring(PREFIX.length()).trim().getBytes(UTF_8);
    return MessageDigest.isEqual(given, token) ? Optional.empty() : Optional.of("wrong token");
  }
}
