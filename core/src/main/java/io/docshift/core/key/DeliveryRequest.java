package io.docshift.core.key;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A parsed Cloudinary delivery path: {@code
 * [/{cloud}]/{resource_type}/{type}/[s--SIG--/][{transformations}/][v{version}/]{public_id}[.{format}]}.
 *
 * <p>The {@link #key()} carries the requested format (image/video). {@link #transformations()} and
 * {@link #stringToSign()} keep the segments exactly as received (still percent-encoded), because a
 * {@code s--SIG--} is computed over the URL text, not over decoded ids.
 */
public final class DeliveryRequest {
  private final DocumentKey key;
  private final boolean cloudSegment;
  private final String signature;
  private final List<String> transformations;
  private final OptionalLong version;
  private final String stringToSign;

  DeliveryRequest(
      DocumentKey key,
      boolean cloudSegment,
      String signature,
      List<String> transformations,
      OptionalLong version,
      String stringToSign) {
    this.key = key;
    this.cloudSegment = cloudSegment;
    this.signature = signature;
    this.transformations = List.copyOf(transformations);
    this.version = version;
    this.stringToSign = stringToSign;
  }

  /**
   * Parses the path of a delivery request (no scheme, host or query), percent-decoding each segment
   * exactly once. Accepts both the shared-CDN form with a leading {@code /{cloudName}} segment and
   * the private-CDN form without it.
   *
   * @throws InvalidDocumentKeyException with {@link InvalidDocumentKeyException.Reason#TOO_LONG}
   *     for paths over 2048 characters, {@code UNSUPPORTED} for resource or delivery types DocShift
   *     does not store, {@code MALFORMED} for everything else (traversal, empty segments, encoded
   *     slashes, backslashes, control characters, bad escapes, non-canonical ids)
   */
  public static DeliveryRequest parse(String rawPath, String cloudName) {
    requireNonNull(rawPath, "rawPath");
    requireNonNull(cloudName, "cloudName");
    return DeliveryPathParser.parse(rawPath, cloudName);
  }

  /** The requested document, with the requested format for image and video. */
  public DocumentKey key() {
    return key;
  }

  /** Whether the path started with the {@code /{cloud}} segment (shared-CDN form). */
  public boolean hasCloudSegment() {
    return cloudSegment;
  }

  /** The signature inside {@code s--...--} (8 or 32 URL-safe base64 characters), if present. */
  public Optional<String> signature() {
    return Optional.ofNullable(signature);
  }

  /** Transformation segments as received, e.g. {@code [w_300,h_250, e_grayscale]}. */
  public List<String> transformations() {
    return transformations;
  }

  /** Whether the original is asked for (no transformation): the only case S3 can serve. */
  public boolean isOriginal() {
    return transformations.isEmpty();
  }

  /** The {@code v{version}} segment's number, if present ({@code v1} is the SDKs' forced one). */
  public OptionalLong version() {
    return version;
  }

  /**
   * What a delivery signature covers: {@code {transformations}/{public_id[.format]}} as received,
   * without signature or version; just {@code public_id[.format]} without transformations.
   */
  public String stringToSign() {
    return stringToSign;
  }

  @Override
  public String toString() {
    return "DeliveryRequest{key="
        + key
        + ", signed="
        + (signature != null)
        + ", transformations="
        + transformations
        + ", version="
        + version
        + "}";
  }
}
