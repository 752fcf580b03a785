package io.docshift.write;

import static java.util.Objects.requireNonNull;

import io.docshift.core.digest.Digests;
import java.nio.file.Path;
import java.util.Map;

/**
 * One Upload API request as the proxy received it, body already spooled to disk.
 *
 * @param resourceType the path's resource type segment ({@code image}, {@code video}, {@code raw},
 *     {@code auto})
 * @param rawPath the request path as received, e.g. {@code /v1_1/demo/image/upload}
 * @param body the spooled request body, deleted by the caller after the answer
 * @param headers request headers (first value per name); names as received
 * @param host the {@code Host} the client used, for URLs in answers DocShift builds
 * @param spooled the file part's digests taken while the body was spooled ({@link
 *     FilePartDigester}), or null when none were: the write path then reads the spool to hash it
 */
public record UploadCall(
    String resourceType,
    String rawPath,
    Path body,
    Map<String, String> headers,
    String host,
    FilePartDigester.Hashed spooled) {
  /** Validates that no component but {@code spooled} is null. */
  public UploadCall {
    requireNonNull(resourceType, "resourceType");
    requireNonNull(rawPath, "rawPath");
    requireNonNull(body, "body");
    headers = Map.copyOf(requireNonNull(headers, "headers"));
    requireNonNull(host, "host");
  }

  /** The spooled digests of {@code bytes}, if they are exactly the region digested. */
  Digests spooledDigests(FileRegion bytes) {
    return spooled != null
            && bytes.file().equals(body)
            && spooled.covers(bytes.offset(), bytes.length())
        ? spooled.digests()
        : null;
  }

  /** A header's value, matched case-insensitively, or null. */
  public String header(String name) {
    for (Map.Entry<String, String> e : headers.entrySet()) {
      if (e.getKey().equalsIgnoreCase(name)) {
        return e.getValue();
      }
    }
    return null;
  }
}
