package io.docshift.core.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code admin.*} section: the admin API and {@code /metrics}.
 *
 * @param host listen address
 * @param port listen port; 0 picks a free port
 * @param token bearer token the admin API requires, owned by {@value #SHARED_OWNER}; empty means it
 *     is not accepted; masked by {@link #toString()}
 * @param operatorTokens per-operator tokens, {@code name:token[,name:token...]} (validated by the
 *     config catalog); masked by {@link #toString()}
 */
public record AdminConfig(String host, int port, String token, String operatorTokens) {
  /** Who the audit names for requests made with {@link #token()}. */
  public static final String SHARED_OWNER = "admin";

  /** Every accepted token with its owner: {@link #SHARED_OWNER} for {@link #token()}, if set. */
  public Map<String, String> tokensByOwner() {
    Map<String, String> byOwner = new LinkedHashMap<>();
    if (!token.isEmpty()) {
      byOwner.put(SHARED_OWNER, token);
    }
    if (!operatorTokens.isEmpty()) {
      for (String pair : operatorTokens.split(",")) {
        int colon = pair.indexOf(':');
        String owner = pair.substring(0, colon);
        if (byOwner.put(owner, pair.substring(colon + 1)) != null) {
          throw new IllegalArgumentException(
              "admin.operatorTokens: **** (expected: each name once, and not " + owner + ")");
        }
      }
    }
    return Map.copyOf(byOwner);
  }

  /** Whether any token is accepted (without one the admin API refuses everyone). */
  public boolean hasTokens() {
    return !token.isEmpty() || !operatorTokens.isEmpty();
  }

  @Override
  public String toString() {
    return "AdminConfig[host="
        + host
        + ", port="
        + port
        + ", token="
        + Mask.secret(token)
        + ", operatorTokens="
        + Mask.secret(operatorTokens)
        + "]";
  }
}
