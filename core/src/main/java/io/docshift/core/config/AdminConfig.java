package io.docshift.core.config;

/**
 * The {@code admin.*} section: the admin API and {@code /metrics}.
 *
 * @param host listen address
 * @param port listen port; 0 picks a free port
 * @param token bearer token the admin API requires; empty means it refuses every request; masked by
 *     {@link #toString()}
 */
public record AdminConfig(String host, int port, String token) {

  @Override
  public String toString() {
    return "AdminConfig[host=" + host + ", port=" + port + ", token=" + Mask.secret(token) + "]";
  }
}
