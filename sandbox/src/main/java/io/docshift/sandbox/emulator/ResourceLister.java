package io.docshift.sandbox.emulator;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /resources/{rt}[/{type}]}: pages ordered by public id (then type), ascending unless
 * {@code direction=desc|-1}. {@code next_cursor} is an opaque base64url token naming the last key
 * served, so paging is stable while assets are added or removed.
 */
final class ResourceLister {
  static final int DEFAULT_MAX_RESULTS = 10;
  static final int MAX_RESULTS = 500;

  private final AssetRepository repository;
  private final AssetJson json;

  ResourceLister(AssetRepository repository, AssetJson json) {
    this.repository = repository;
    this.json = json;
  }

  Map<String, Object> list(ApiRequest request, String resourceType, String type) {
    int maxResults = maxResults(request.param("max_results"));
    String direction = request.param("direction", "asc");
    boolean descending = direction.equals("desc") || direction.equals("-1");
    String cursor = request.param("next_cursor");
    AssetKey after = cursor == null ? null : decode(cursor, resourceType);
    ListQuery query =
        new ListQuery(resourceType, type, request.param("prefix", ""), descending, after);
    List<Asset> page = repository.list(query, maxResults + 1);
    List<Object> resources = new ArrayList<>();
    for (Asset asset : page.subList(0, Math.min(maxResults, page.size()))) {
      resources.add(json.resource(asset));
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("resources", resources);
    if (page.size() > maxResults) {
      body.put("next_cursor", encode(page.get(maxResults - 1).key()));
    }
    return body;
  }

  private static int maxResults(String value) {
    if (value == null) {
      return DEFAULT_MAX_RESULTS;
    }
    try {
      int n = Integer.parseInt(value);
      if (n >= 1 && n <= MAX_RESULTS) {
        return n;
      }
    } catch (NumberFormatException e) {
      // falls through to the error below
    }
    throw ApiException.badRequest(
        "max_results should be between 1 and " + MAX_RESULTS + ", got " + value);
  }

  static String encode(AssetKey key) {
    String raw = key.type() + "\n" + key.publicId();
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  static AssetKey decode(String cursor, String resourceType) {
    try {
      String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      int nl = raw.indexOf('\n');
      if (nl > 0) {
        return new AssetKey(resourceType, raw.substring(0, nl), raw.substring(nl + 1));
      }
    } catch (IllegalArgumentException e) {
      // falls through to the error below
    }
    throw ApiException.badRequest("Invalid next_cursor " + cursor);
  }
}
