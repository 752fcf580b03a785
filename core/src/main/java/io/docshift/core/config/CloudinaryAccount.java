package io.docshift.core.config;

import static java.util.Objects.requireNonNull;

import io.docshift.core.store.StoreTrust;
import java.net.URI;

/**
 * Credentials and endpoints of one Cloudinary account (or the sandbox emulator).
 *
 * @param cloudName the cloud name, e.g. {@code demo}
 * @param apiKey the API key sent with signed calls
 * @param apiSecret the API secret; never sent, only used to sign
 * @param apiUrl Upload/Admin API prefix, e.g. {@code https://api.cloudinary.com} (calls go to
 *     {@code {apiUrl}/v1_1/{cloud}/...})
 * @param deliveryUrl delivery prefix including the cloud segment when the CDN needs it, e.g. {@code
 *     https://res.cloudinary.com/demo} or {@code http://127.0.0.1:8081/demo}
 * @param signatureAlgorithm digest for every signature
 * @param trust the CAs Cloudinary's certificates (API and delivery) must chain to
 */
public record CloudinaryAccount(
    String cloudName,
    String apiKey,
    String apiSecret,
    URI apiUrl,
    URI deliveryUrl,
    SignatureAlgorithm signatureAlgorithm,
    StoreTrust trust) {
  /** An account whose TLS certificates chain to the JDK's default CAs. */
  public CloudinaryAccount(
      String cloudName,
      String apiKey,
      String apiSecret,
      URI apiUrl,
      URI deliveryUrl,
      SignatureAlgorithm signatureAlgorithm) {
    this(
        cloudName, apiKey, apiSecret, apiUrl, deliveryUrl, signatureAlgorithm, StoreTrust.system());
  }

  /** Validates; errors read {@code name: value (expected: ...)} and never echo the secret. */
  public CloudinaryAccount {
    requireNonNull(cloudName, "cloudName");
    requireNonNull(apiKey, "apiKey");
    requireNonNull(apiSecret, "apiSecret");
    requireNonNull(apiUrl, "apiUrl");
    requireNonNull(deliveryUrl, "deliveryUrl");
    requireNonNull(signatureAlgorithm, "signatureAlgorithm");
    requireNonNull(trust, "trust");
    check(
        cloudName.matches("[A-Za-z0-9][A-Za-z0-9_-]*"),
        "cloudName",
        cloudName,
        "letters, digits, '_' or '-'");
    check(!apiKey.isBlank(), "apiKey", "<blank>", "the account's API key");
    check(!apiSecret.isBlank(), "apiSecret", "<blank>", "the account's API secret");
    checkHttp("apiUrl", apiUrl);
    checkHttp("deliveryUrl", deliveryUrl);
  }

  private static void checkHttp(String name, URI uri) {
    boolean http = "http".equals(uri.getScheme()) || "https".equals(uri.getScheme());
    check(
        http && uri.getHost() != null && uri.getQuery() == null,
        name,
        uri,
        "an absolute http(s) URL without query");
  }

  private static void check(boolean ok, String name, Object value, String expected) {
    if (!ok) {
      throw new IllegalArgumentException(name + ": " + value + " (expected: " + expected + ")");
    }
  }

  /** {@link #apiUrl()} without a trailing slash. */
  public String apiPrefix() {
    return stripSlash(apiUrl.toString());
  }

  /** {@link #deliveryUrl()} without a trailing slash. */
  public String deliveryPrefix() {
    return stripSlash(deliveryUrl.toString());
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  @Override
  public String toString() {
    return "CloudinaryAccount{cloudName="
        + cloudName
        + ", apiKey="
        + apiKey
        + ", apiUrl="
        + apiUrl
        + ", deliveryUrl="
        + deliveryUrl
        + ", signatureAlgorithm="
        + signatureAlgorithm
        + ", trust="
        + trust
        + "}";
  }
}
