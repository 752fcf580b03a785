package io.docshift.core.config;

import java.net.URI;

/**
 * The {@code cloudinary.*} section: the Cloudinary account DocShift fronts.
 *
 * @param cloudName cloud name; empty when not configured
 * @param apiKey API key; empty when not configured
 * @param apiSecret API secret; empty when not configured; masked by {@link #toString()}
 * @param apiUrl Upload/Admin API base URL
 * @param deliveryUrl delivery base URL as configured, possibly containing {@value
 *     #CLOUD_NAME_PLACEHOLDER}; see {@link #deliveryBaseUrl()}
 * @param signatureAlgorithm hash for request signatures
 * @param requestTimeoutMillis timeout of one Cloudinary request
 * @param connectTimeoutMillis longest wait for a new connection to Cloudinary
 * @param apiTotalTimeoutMillis longest whole API call whose answer is read whole
 * @param caFile PEM bundle of the CAs Cloudinary's certificates must chain to; empty for the JDK's
 */
public record CloudinaryConfig(
    String cloudName,
    String apiKey,
    String apiSecret,
    URI apiUrl,
    String deliveryUrl,
    SignatureAlgorithm signatureAlgorithm,
    long requestTimeoutMillis,
    long connectTimeoutMillis,
    long apiTotalTimeoutMillis,
    String caFile) {

  /** Replaced by the cloud name in {@code cloudinary.deliveryUrl}. */
  public static final String CLOUD_NAME_PLACEHOLDER = "{cloudName}";

  /**
   * The delivery base with the cloud name filled in and no trailing slash: append {@code
   * /{resource_type}/{type}/...} to it. With the default this is {@code
   * https://res.cloudinary.com/<cloudName>}; a private CDN host is configured without the
   * placeholder.
   */
  public URI deliveryBaseUrl() {
    String resolved = deliveryUrl.replace(CLOUD_NAME_PLACEHOLDER, cloudName);
    while (resolved.endsWith("/")) {
      resolved = resolved.substring(0, resolved.length() - 1);
    }
    return URI.create(resolved);
  }

  @Override
  public String toString() {
    return "CloudinaryConfig[cloudName="
        + cloudName
        + ", apiKey="
        + apiKey
        + ", apiSecret="
        + Mask.secret(apiSecret)
        + ", apiUrl="
        + apiUrl
        + ", deliveryUrl="
        + deliveryUrl
        + ", signatureAlgorithm="
        + signatureAlgorithm
        + ", requestTimeoutMillis="
        + requestTimeoutMillis
        + ", connectTimeoutMillis="
        + connectTimeoutMillis
        + ", apiTotalTimeoutMillis="
        + apiTotalTimeoutMillis
        + ", caFile="
        + caFile
        + "]";
  }
}
