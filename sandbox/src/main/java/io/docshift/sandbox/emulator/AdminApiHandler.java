package io.docshift.sandbox.emulator;

import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Admin API subset used for enumeration and deletes: {@code ping}, {@code resources} (resource
 * types), {@code resources/{rt}[/{type}]} listing, {@code resources/{rt}/{type}/{public_id}}
 * details, and {@code DELETE} of {@code resources/...} ({@link BulkDeleter}) and {@code
 * derived_resources}, and {@code POST resources/{rt}/{type}/{public_id}} ({@code update}, {@link
 * AccessModeUpdate}). HTTP Basic authentication first, then the hourly budget; every answer carries
 * the rate-limit headers, errors included.
 */
final class AdminApiHandler {
  static final Set<String> RESOURCE_TYPES = Set.of("image", "video", "raw");

  private final RequestAuth auth;
  private final RateLimiter limiter;
  private final AssetRepository repository;
  private final AssetJson json;
  private final ResourceLister lister;
  private final ResourcesByIds byIds;
  private final BulkDeleter deleter;
  private final AccessModeUpdate updates;

  AdminApiHandler(
      RequestAuth auth,
      RateLimiter limiter,
      AssetRepository repository,
      AssetJson json,
      int deletePageSize) {
    this.auth = auth;
    this.limiter = limiter;
    this.repository = repository;
    this.json = json;
    this.lister = new ResourceLister(repository, json);
    this.byIds = new ResourcesByIds(repository, json);
    this.deleter = new BulkDeleter(repository, deletePageSize);
    this.updates = new AccessModeUpdate(repository, json);
  }

  /** Whether {@code path} (after {@code /v1_1/{cloud}}) is an Admin API route. */
  static boolean handles(List<String> path) {
    return !path.isEmpty()
        && (path.get(0).equals("ping")
            || path.get(0).equals("resources")
            || path.get(0).equals("derived_resources"));
  }

  FullHttpResponse handle(ApiRequest request) throws IOException {
    try {
      auth.verifyBasic(request.header(HttpHeaderNames.AUTHORIZATION.toString()));
    } catch (ApiException e) {
      e.headers().add(limiter.peek());
      throw e;
    }
    HttpHeaders rateHeaders = limiter.acquire();
    try {
      return EmulatorReplies.json(HttpResponseStatus.OK, route(request), rateHeaders);
    } catch (ApiException e) {
      e.headers().add(rateHeaders);
      throw e;
    }
  }

  private Object route(ApiRequest request) throws IOException {
    List<String> path = request.path();
    if (request.http().method().equals(HttpMethod.DELETE)) {
      return delete(request, path);
    }
    if (request.http().method().equals(HttpMethod.POST)) {
      return updates.update(request, path);
    }
    if (path.get(0).equals("ping")) {
      return Map.of("status", "ok");
    }
    if (path.size() == 1) {
      return Map.of("resource_types", List.of("image", "raw", "video"));
    }
    String resourceType = path.get(1);
    if (path.size() == 2 && resourceType.equals("by_asset_ids")) {
      return byIds.byAssetIds(request);
    }
    if (path.size() == 3 && ResourcesByIds.namesPublicIds(request)) {
      return byIds.byPublicIds(request, resourceType, path.get(2));
    }
    if (!RESOURCE_TYPES.contains(resourceType)) {
      throw ApiException.badRequest("Invalid resource type " + resourceType);
    }
    if (path.size() <= 3) {
      return lister.list(request, resourceType, path.size() == 3 ? path.get(2) : null);
    }
    String publicId = String.join("/", path.subList(3, path.size()));
    Asset asset =
        repository
            .find(new AssetKey(resourceType, path.get(2), publicId))
            .orElseThrow(() -> ApiException.notFound("Resource not found - " + publicId));
    return json.details(asset);
  }

  /**
   * Bulk deletes; {@code derived_resources} names derived versions, which the emulator has none of.
   */
  private Object delete(ApiRequest request, List<String> path) throws IOException {
    if (path.get(0).equals("derived_resources")) {
      Map<String, Object> deleted = new java.util.LinkedHashMap<>();
      request
          .params()
          .getOrDefault("derived_resource_ids[]", List.of())
          .forEach(id -> deleted.put(id, "not_found"));
      return Map.of("deleted", deleted, "partial", false);
    }
    if (path.size() < 2 || !RESOURCE_TYPES.contains(path.get(1))) {
      throw ApiException.badRequest(
          "Invalid resource type " + (path.size() < 2 ? "" : path.get(1)));
    }
    return deleter.delete(request, path.get(1), path);
  }
}
