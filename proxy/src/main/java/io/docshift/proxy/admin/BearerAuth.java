package io.docshift.proxy.admin;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks {@code Authorization: Bearer <token>} against every operator's token in constant time:
 * {@link MessageDigest#isEqual} does not stop at the first differing byte, and every token is
 * compared whichever matches, so the time taken tells neither which bytes nor which operator. The
 * owner of the matching token is who the audit names. No tokens refuses everyone.
 */
final class BearerAuth {
  private static final String PREFIX = "Bearer ";

  /** The owner of the presented token, or why the request is refused. */
  record Verdict(String owner, String refusal) {
    boolean allowed() {
      return owner != null;
    }
  }

  private record Token(String owner, byte[] bytes) {}

  private final List<Token> tokens = new ArrayList<>();

  /**
   * @param tokensByOwner each operator's name and token
   */
  BearerAuth(Map<String, String> tokensByOwner) {
    tokensByOwner.forEach((owner, token) -> tokens.add(new Token(owner, token.getBytes(UTF_8))));
  }

  Verdict check(String authorization) {
    if (tokens.isEmpty()) {
      return new Verdict(null, "no admin token is configured");
    }
    if (authorization == null || !authorization.regionMatches(true, 0, PREFIX, 0, 7)) {
      return new Verdict(null, "no bearer token");
    }
    byte[] given = authorization.substring(PREFIX.length()).trim().getBytes(UTF_8);
    String owner = null;
    for (Token token : tokens) {
      if (MessageDigest.isEqual(given, token.bytes()) && owner == null) {
        owner = token.owner();
      }
    }
    return owner != null ? new Verdict(owner, null) : new Verdict(null, "wrong token");
  }
}
