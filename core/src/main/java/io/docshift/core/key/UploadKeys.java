package io.docshift.core.key;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * Builds the {@link DocumentKey} an Upload API call will create, from its form fields. Follows
 * Cloudinary's fixed-folder rule: {@code folder} (slashes at its ends trimmed) is prepended to
 * {@code public_id}; {@code type} defaults to {@code upload}; empty values count as absent, as the
 * SDKs drop them before sending.
 */
public final class UploadKeys {
  private UploadKeys() {}

  /**
   * The key for an upload.
   *
   * @param resourceType the resolved resource type (an {@code auto} upload must be resolved from
   *     the primary's response first)
   * @param params the received form fields (raw strings, not the file)
   * @param detectedFormat the uploaded file's format for image/video (e.g. from the filename or the
   *     primary's response), used when {@code format} is not a param; may be {@code null}
   * @throws InvalidDocumentKeyException when {@code public_id} is absent (Cloudinary would pick a
   *     random one: take the key from its response instead), the type is not a stored type, or a
   *     component is not canonical
   */
  public static DocumentKey fromParams(
      String cloud, ResourceType resourceType, Map<String, String> params, String detectedFormat) {
    requireNonNull(cloud, "cloud");
    requireNonNull(resourceType, "resourceType");
    requireNonNull(params, "params");
    String publicId = value(params, "public_id");
    if (publicId == null) {
      throw KeyRules.malformed(
          "public_id: absent (expected: an explicit public_id, or the key from the response)");
    }
    DeliveryType type = deliveryType(value(params, "type"));
    String folder = trimSlashes(value(params, "folder"));
    String fullId = folder == null || folder.isEmpty() ? publicId : folder + "/" + publicId;
    String format = null;
    if (resourceType.formatOutsidePublicId()) {
      String explicit = value(params, "format");
      format = explicit != null ? explicit : emptyToNull(detectedFormat);
    }
    return DocumentKey.of(cloud, resourceType, type, fullId, format);
  }

  private static DeliveryType deliveryType(String name) {
    if (name == null) {
      return DeliveryType.UPLOAD;
    }
    return DeliveryType.fromWire(name)
        .orElseThrow(
            () ->
                new InvalidDocumentKeyException(
                    InvalidDocumentKeyException.Reason.UNSUPPORTED,
                    "type: "
                        + KeyRules.show(name)
                        + " (expected: upload, private or authenticated)"));
  }

  private static String value(Map<String, String> params, String name) {
    return emptyToNull(params.get(name));
  }

  private static String emptyToNull(String value) {
    return value == null || value.isEmpty() ? null : value;
  }

  private static String trimSlashes(String folder) {
    if (folder == null) {
      return null;
    }
    int start = 0;
    int end = folder.length();
    while (start < end && folder.charAt(start) == '/') {
      start++;
    }
    while (end > start && folder.charAt(end - 1) == '/') {
      end--;
    }
    return folder.substring(start, end);
  }
}
