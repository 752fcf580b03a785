package io.docshift.sandbox.emulator;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Admin API {@code POST /resources/{rt}/{type}/update_access_mode} (the SDKs' {@code
 * update_resources_access_mode_by_ids}, {@code _by_prefix}, {@code _by_tag}): sets {@code
 * access_mode} on every asset named by {@code public_ids}, or whose public id starts with {@code
 * prefix}, or that carries {@code tag}. Answers {@code {"updated":[{"public_id","access_mode"}],
 * "failed":[{"public_id","message"}]}}; an id that does not exist is a failure. Emulator decision
 * where the documentation is silent: a prefix or tag update is applied to every match in one call
 * (no {@code next_cursor}).
 */
final class AccessModeBulk {
  static final String ACTION = "update_access_mode";

  private final AssetRepository repository;

  AccessModeBulk(AssetRepository repository) {
    this.repository = repository;
  }

  Map<String, Object> update(ApiRequest request, String resourceType, String type, String mode)
      throws IOException {
    List<String> ids = BulkDeleter.publicIds(request);
    String prefix = request.param("prefix");
    String tag = request.param("tag");
    if (ids.isEmpty() && prefix == null && tag == null) {
      throw ApiException.missing("public_ids, prefix or tag");
    }
    List<Object> updated = new ArrayList<>();
    List<Object> failed = new ArrayList<>();
    List<AssetKey> keys = ids.isEmpty() ? matches(resourceType, type, prefix, tag) : null;
    if (keys == null) {
      keys = ids.stream().map(id -> new AssetKey(resourceType, type, id)).toList();
    }
    for (AssetKey key : keys) {
      if (repository.find(key).isEmpty()) {
        failed.add(Map.of("public_id", key.publicId(), "message", "Resource not found"));
        continue;
      }
      repository.updateAccessMode(key, mode);
      updated.add(Map.of("public_id", key.publicId(), "access_mode", mode));
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("updated", updated);
    body.put("failed", failed);
    return body;
  }

  private List<AssetKey> matches(String resourceType, String type, String prefix, String tag) {
    ListQuery query = new ListQuery(resourceType, type, prefix == null ? "" : prefix, false, null);
    return repository.list(query, Integer.MAX_VALUE).stream()
        .filter(a -> tag == null || a.tags().contains(tag))
        .map(Asset::key)
        .toList();
  }
}
