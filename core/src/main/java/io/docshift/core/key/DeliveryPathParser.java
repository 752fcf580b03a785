package io.docshift.core.key;

import io.docshift.core.key.InvalidDocumentKeyException.Reason;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The single parser for delivery paths. Works in two views of the same segments: raw (for the
 * signature string and the signature/version grammar) and decoded once (for ids and checks).
 */
final class DeliveryPathParser {
  private static final Pattern SIGNATURE =
      Pattern.compile("s--([A-Za-z0-9_-]{8}|[A-Za-z0-9_-]{32})--");
  private static final Pattern VERSION = Pattern.compile("v([0-9]{1,18})");

  /**
   * Transformation parameter keys (Cloudinary's URL API). A segment is a transformation when every
   * comma-separated component is {@code key_value} with a key from this set or a {@code $variable}.
   * A folder that happens to look like one (e.g. {@code w_docs}) is only safe after a version
   * segment, which is why the SDKs force {@code v1} for ids with folders.
   */
  private static final Set<String> TRANSFORMATION_KEYS =
      Set.of(
          "a", "ac", "af", "ar", "b", "bo", "br", "c", "co", "cs", "d", "dl", "dn", "dpr", "du",
          "e", "eo", "f", "fl", "fn", "fps", "g", "h", "if", "ki", "l", "o", "p", "pg", "q", "r",
          "so", "sp", "t", "u", "vc", "vs", "w", "x", "y", "z");

  private DeliveryPathParser() {}

  static DeliveryRequest parse(String rawPath, String cloudName) {
    String[] raw = split(rawPath);
    String[] decoded = decodeAll(raw);
    boolean cloudSegment = hasCloudSegment(decoded, cloudName);
    int at = cloudSegment ? 1 : 0;
    ResourceType resourceType = resourceType(decoded[at], cloudName);
    DeliveryType type = deliveryType(at + 1 < raw.length ? decoded[at + 1] : null);
    Cursor cursor = new Cursor(raw, decoded, at + 2);
    String signature = cursor.signature();
    List<String> transformations = cursor.transformations();
    OptionalLong version = cursor.version();
    if (cursor.at >= raw.length) {
      throw KeyRules.malformed("path " + KeyRules.show(rawPath) + " has no public_id");
    }
    String rawFile = joined(raw, cursor.at);
    String file = joined(decoded, cursor.at);
    DocumentKey key = key(cloudName, resourceType, type, file);
    String toSign =
        transformations.isEmpty() ? rawFile : String.join("/", transformations) + "/" + rawFile;
    return new DeliveryRequest(key, cloudSegment, signature, transformations, version, toSign);
  }

  private static String[] decodeAll(String[] raw) {
    String[] decoded = new String[raw.length];
    for (int i = 0; i < raw.length; i++) {
      decoded[i] = KeyRules.decodeSegment(raw[i]);
      KeyRules.checkSegmentText(decoded[i], "path");
    }
    return decoded;
  }

  /**
   * The cloud segment is optional (private-CDN form); a cloud named like a resource type is only
   * taken as the cloud when a resource type follows it.
   */
  private static boolean hasCloudSegment(String[] decoded, String cloudName) {
    return decoded.length > 1
        && decoded[0].equals(cloudName)
        && (ResourceType.fromWire(decoded[1]).isPresent()
            || ResourceType.fromWire(decoded[0]).isEmpty());
  }

  /**
   * Walks the optional parts between the delivery type and the public_id, in grammar order. The
   * last segment is always left for the public_id.
   */
  private static final class Cursor {
    private final String[] raw;
    private final String[] decoded;
    private int at;

    Cursor(String[] raw, String[] decoded, int at) {
      this.raw = raw;
      this.decoded = decoded;
      this.at = at;
    }

    String signature() {
      if (at < raw.length && raw[at].startsWith("s--") && SIGNATURE.matcher(raw[at]).matches()) {
        String segment = raw[at++];
        return segment.substring(3, segment.length() - 2);
      }
      return null;
    }

    List<String> transformations() {
      if (at >= raw.length - 1 || !isTransformation(decoded[at])) {
        return List.of(); // the common case, an original: no list to fill
      }
      List<String> transformations = new ArrayList<>();
      while (at < raw.length - 1 && isTransformation(decoded[at])) {
        transformations.add(raw[at++]);
      }
      return transformations;
    }

    OptionalLong version() {
      if (at < raw.length - 1 && raw[at].startsWith("v") && VERSION.matcher(raw[at]).matches()) {
        return OptionalLong.of(Long.parseLong(raw[at++].substring(1)));
      }
      return OptionalLong.empty();
    }
  }

  private static String[] split(String rawPath) {
    if (rawPath.length() > KeyRules.MAX_PATH_CHARS) {
      throw new InvalidDocumentKeyException(
          Reason.TOO_LONG,
          "path is "
              + rawPath.length()
              + " characters (expected: at most "
              + KeyRules.MAX_PATH_CHARS
              + ")");
    }
    if (!rawPath.startsWith("/")) {
      throw KeyRules.malformed("path " + KeyRules.show(rawPath) + " does not start with '/'");
    }
    if (rawPath.indexOf('?') >= 0 || rawPath.indexOf('#') >= 0) {
      throw KeyRules.malformed(
          "path " + KeyRules.show(rawPath) + " contains a query or fragment (strip it first)");
    }
    // By hand: String.split would copy the path and collect the segments in a list first.
    int count = 1;
    for (int i = 1; i < rawPath.length(); i++) {
      if (rawPath.charAt(i) == '/') {
        count++;
      }
    }
    String[] raw = new String[count];
    for (int k = 0, start = 1; k < count; k++) {
      int slash = rawPath.indexOf('/', start);
      int end = slash < 0 ? rawPath.length() : slash;
      if (end == start) {
        throw KeyRules.malformed(
            "path " + KeyRules.show(rawPath) + " has an empty segment (double or trailing slash)");
      }
      raw[k] = rawPath.substring(start, end);
      start = end + 1;
    }
    return raw;
  }

  private static ResourceType resourceType(String segment, String cloudName) {
    return ResourceType.fromWire(segment)
        .orElseThrow(
            () ->
                new InvalidDocumentKeyException(
                    Reason.UNSUPPORTED,
                    "resource type "
                        + KeyRules.show(segment)
                        + " (expected: image, video or raw, optionally after the cloud name "
                        + KeyRules.show(cloudName)
                        + ")"));
  }

  private static DeliveryType deliveryType(String segment) {
    if (segment == null) {
      throw KeyRules.malformed("path ends before the delivery type");
    }
    return DeliveryType.fromWire(segment)
        .orElseThrow(
            () ->
                new InvalidDocumentKeyException(
                    Reason.UNSUPPORTED,
                    "delivery type "
                        + KeyRules.show(segment)
                        + " (expected: upload, private or authenticated)"));
  }

  private static boolean isTransformation(String segment) {
    if (segment.indexOf('_') <= 0) {
      return false; // its first component has no key: most ids and folders end here
    }
    for (String component : segment.split(",", -1)) {
      int underscore = component.indexOf('_');
      if (underscore <= 0) {
        return false;
      }
      String name = component.substring(0, underscore);
      if (!TRANSFORMATION_KEYS.contains(name) && !name.startsWith("$")) {
        return false;
      }
    }
    return true;
  }

  /** The segments from {@code from} on, joined by {@code /}: the public_id's one or more. */
  private static String joined(String[] segments, int from) {
    if (from == segments.length - 1) {
      return segments[from];
    }
    return String.join("/", Arrays.asList(segments).subList(from, segments.length));
  }

  /** Splits the format off the last segment for image/video; raw keeps its extension. */
  private static DocumentKey key(
      String cloud, ResourceType resourceType, DeliveryType type, String file) {
    String publicId = file;
    String format = null;
    if (resourceType.formatOutsidePublicId()) {
      int slash = file.lastIndexOf('/');
      int dot = file.lastIndexOf('.');
      if (dot > slash + 1 && KeyRules.isFormat(file.substring(dot + 1))) {
        publicId = file.substring(0, dot);
        format = file.substring(dot + 1);
      }
    }
    return DocumentKey.of(cloud, resourceType, type, publicId, format);
  }
}
