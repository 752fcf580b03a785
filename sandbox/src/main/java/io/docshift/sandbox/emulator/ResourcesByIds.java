package io.docshift.sandbox.emulator;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Admin API's lookups of named resources: {@code GET /resources/{rt}/{type}?public_ids[]=...}
 * and {@code GET /resources/by_asset_ids?asset_ids[]=...}. As Cloudinary does: at most 100 ids per
 * call (one call of the hourly budget however many ids), ids that name nothing are left out of
 * {@code resources} rather than failing the call, duplicates are answered once.
 */
final class ResourcesByIds {
  static final int MAX_IDS = 100;
  private static final String PUBLIC_IDS = "public_ids";
  private static final String ASSET_IDS = "asset_ids";

  private final AssetRepository repository;
  private final AssetJson json;

  ResourcesByIds(AssetRepository repository, AssetJson json) {
    this.repository = repository;
    this.json = json;
  }

  /** Whether a {@code resources/{rt}/{type}} call names public ids instead of listing. */
  static boolean namesPublicIds(ApiRequest request) {
    return !ids(request, PUBLIC_IDS).isEmpty();
  }

  Map<String, Object> byPublicIds(ApiRequest request, String resourceType, String type) {
    List<Object> resources = new ArrayList<>();
    for (String publicId : checked(ids(request, PUBLIC_IDS), PUBLIC_IDS)) {
      repository
          .find(new AssetKey(resourceType, type, publicId))
          .ifPresent(a -> resources.add(json.resource(a)));
    }
    return Map.of("resources", resources);
  }

  Map<String, Object> byAssetIds(ApiRequest request) {
    Set<String> wanted = checked(ids(request, ASSET_IDS), ASSET_IDS);
    List<Object> resources = new ArrayList<>();
    for (Asset asset : repository.byAssetIds(wanted)) {
      resources.add(json.resource(asset));
    }
    return Map.of("resources", resources);
  }

  /** {@code name[]} as the SDKs send arrays, or the bare name (one or comma-free repeats). */
  private static Set<String> ids(ApiRequest request, String name) {
    Set<String> ids = new LinkedHashSet<>();
    for (String key : List.of(name + "[]", name)) {
      List<String> values = request.params().get(key);
      if (values != null) {
        values.stream().filter(v -> !v.isEmpty()).forEach(ids::add);
      }
    }
    return ids;
  }

  private static Set<String> checked(Set<String> ids, String name) {
    if (ids.isEmpty()) {
      throw ApiException.badRequest("Must supply " + name);
    }
    if (ids.size() > MAX_IDS) {
      throw ApiException.badRequest(
          "Too many " + name + ": " + ids.size() + " (at most " + MAX_IDS + " per call)");
    }
    return ids;
  }
}
