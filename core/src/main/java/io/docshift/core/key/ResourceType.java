package io.docshift.core.key;

import java.util.Optional;

/**
 * Cloudinary's {@code resource_type}: the first path segment after the cloud name in a delivery URL
 * and the segment after the cloud name in an Upload API path. {@code auto} is an upload-time alias
 * that Cloudinary resolves to one of these, so it never appears in a key.
 */
public enum ResourceType {
  IMAGE("image", true),
  VIDEO("video", true),
  RAW("raw", false);

  private static final String API_PREFIX = "/v1_1/";

  private final String wireName;
  private final boolean formatOutsidePublicId;

  ResourceType(String wireName, boolean formatOutsidePublicId) {
    this.wireName = wireName;
    this.formatOutsidePublicId = formatOutsidePublicId;
  }

  /** The lowercase name used in URLs and JSON, e.g. {@code image}. */
  public String wireName() {
    return wireName;
  }

  /**
   * Whether Cloudinary keeps the format outside the public_id ({@code image}, {@code video}: {@code
   * docs/report} + {@code pdf}) rather than inside it ({@code raw}: {@code docs/report.pdf}).
   */
  public boolean formatOutsidePublicId() {
    return formatOutsidePublicId;
  }

  /**
   * The resource type a request target names without parsing the rest of it: the segment after the
   * cloud name in a delivery path ({@code /{cloud}/{resource_type}/...}) or an API path ({@code
   * /v1_1/{cloud}/{resource_type}/...}); empty when that segment is not a resource type. For
   * bounded metric tags on every request, so it allocates one short string at most.
   */
  public static Optional<ResourceType> inRequestTarget(String target) {
    int start = target.startsWith(API_PREFIX) ? API_PREFIX.length() : 1;
    int cloudEnd = target.indexOf('/', start);
    if (cloudEnd < 0) {
      return Optional.empty();
    }
    int end = target.indexOf('/', cloudEnd + 1);
    return end < 0 ? Optional.empty() : fromWire(target.substring(cloudEnd + 1, end));
  }

  /** The resource type with this exact (lowercase) wire name, or empty. */
  public static Optional<ResourceType> fromWire(String name) {
    for (ResourceType type : values()) {
      if (type.wireName.equals(name)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }
}
