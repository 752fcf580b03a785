package io.docshift.core.config;

/**
 * The {@code ledger.*} section.
 *
 * @param url JDBC URL ({@code jdbc:h2:} or {@code jdbc:postgresql:})
 * @param user database user
 * @param password database password; masked by {@link #toString()}
 * @param maxPoolSize maximum pooled connections per process
 * @param mismatchSampleLimit how many of the newest mismatch samples are kept
 */
public record LedgerConfig(
    String url, String user, String password, int maxPoolSize, int mismatchSampleLimit) {

  @Override
  public String toString() {
    return "LedgerConfig[url="
        + url
        + ", user="
        + user
        + ", password="
        + Mask.secret(password)
        + ", maxPoolSize="
        + maxPoolSize
        + ", mismatchSampleLimit="
        + mismatchSampleLimit
        + "]";
  }
}
