package io.docshift.core.key;

import java.util.Optional;

/**
 * Cloudinary's delivery {@code type} for stored originals. Only the three types that hold uploaded
 * bytes are documents; {@code fetch} and the social types proxy third-party content and are not
 * migrated, so they are rejected as {@link InvalidDocumentKeyException.Reason#UNSUPPORTED}.
 */
public enum DeliveryType {
  /** Public: anyone with the URL may read the original. */
  UPLOAD("upload", false),
  /** The original needs a signed URL ({@code s--SIG--}) or the signed API download. */
  PRIVATE("private", true),
  /** Originals and derived versions need a signed URL or a token. */
  AUTHENTICATED("authenticated", true);

  private final String wireName;
  private final boolean signatureRequired;

  DeliveryType(String wireName, boolean signatureRequired) {
    this.wireName = wireName;
    this.signatureRequired = signatureRequired;
  }

  /** The lowercase name used in URLs and upload params, e.g. {@code private}. */
  public String wireName() {
    return wireName;
  }

  /** Whether reading the original requires a valid {@code s--SIG--} component. */
  public boolean signatureRequired() {
    return signatureRequired;
  }

  /** The delivery type with this exact (lowercase) wire name, or empty. */
  public static Optional<DeliveryType> fromWire(String name) {
    for (DeliveryType type : values()) {
      if (type.wireName.equals(name)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }
}
