package io.docshift.sandbox.emulator;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Admin API deletes: {@code DELETE /resources/{rt}/{type}} by {@code public_ids[]} (at most 100),
 * by {@code prefix} or {@code all=true}, and {@code DELETE /resources/{rt}/tags/{tag}} (every
 * delivery type). Answers {@code {"deleted":{id:"deleted"|"not_found"}, "deleted_counts":{...},
 * "partial":bool[, "next_cursor"]}}: a prefix, tag or all delete stops after a page of originals
 * (1000, as Cloudinary; {@link EmulatorConfig#bulkDeletePageSize()}) with {@code partial:true} and
 * a {@code next_cursor} the caller sends to continue. {@code keep_original=true} or {@code
 * transformations} delete derived versions only: originals stay (the emulator renders none, so the
 * answer names the matched ids and nothing changes).
 */
final class BulkDeleter {
  static final int MAX_PUBLIC_IDS = 100;
  private static final int SCAN_PAGE = 500;

  private final AssetRepository repository;
  private final int limit;

  BulkDeleter(AssetRepository repository, int limit) {
    this.repository = repository;
    this.limit = limit;
  }

  /** {@code path} is after {@code /v1_1/{cloud}}: {@code resources/{rt}/{type|tags/{tag}}}. */
  Map<String, Object> delete(ApiRequest request, String resourceType, List<String> path)
      throws IOException {
    boolean originals =
        !request.flag("keep_original", false) && request.param("transformations") == null;
    if (path.size() >= 4 && path.get(2).equals("tags")) {
      String tag = String.join("/", path.subList(3, path.size()));
      return scan(request, new ListQuery(resourceType, null, "", false, null), tag, originals);
    }
    String type = path.size() >= 3 ? path.get(2) : "upload";
    List<String> ids = publicIds(request);
    if (!ids.isEmpty()) {
      return byIds(resourceType, type, ids, originals);
    }
    String prefix = request.param("prefix");
    if (prefix == null && !request.flag("all", false)) {
      throw ApiException.missing("public_ids, prefix or all");
    }
    return scan(
        request,
        new ListQuery(resourceType, type, prefix == null ? "" : prefix, false, null),
        null,
        originals);
  }

  private Map<String, Object> byIds(
      String resourceType, String type, List<String> ids, boolean originals) throws IOException {
    if (ids.size() > MAX_PUBLIC_IDS) {
      throw ApiException.badRequest("Too many public_ids (" + ids.size() + "), at most 100");
    }
    Map<String, Object> deleted = new LinkedHashMap<>();
    Map<String, Object> counts = new LinkedHashMap<>();
    for (String id : ids) {
      AssetKey key = new AssetKey(resourceType, type, id);
      boolean found = originals ? repository.delete(key) : repository.find(key).isPresent();
      deleted.put(id, found ? "deleted" : "not_found");
      counts.put(id, Map.of("original", found && originals ? 1 : 0, "derived", 0));
    }
    return answer(deleted, counts, null);
  }

  /** Deletes up to a page of matches in listing order, after the request's cursor. */
  private Map<String, Object> scan(
      ApiRequest request, ListQuery base, String tag, boolean originals) throws IOException {
    String cursor = request.param("next_cursor");
    AssetKey after = cursor == null ? null : ResourceLister.decode(cursor, base.resourceType());
    List<Asset> matched = new ArrayList<>();
    while (matched.size() <= limit) {
      ListQuery query =
          new ListQuery(base.resourceType(), base.type(), base.prefix(), false, after);
      List<Asset> page = repository.list(query, SCAN_PAGE);
      for (Asset asset : page) {
        if (tag == null || asset.tags().contains(tag)) {
          matched.add(asset);
        }
      }
      if (page.size() < SCAN_PAGE) {
        break;
      }
      after = page.get(page.size() - 1).key();
    }
    List<Asset> batch = matched.subList(0, Math.min(limit, matched.size()));
    Map<String, Object> deleted = new LinkedHashMap<>();
    Map<String, Object> counts = new LinkedHashMap<>();
    for (Asset asset : batch) {
      if (originals) {
        repository.delete(asset.key());
      }
      deleted.put(asset.publicId(), "deleted");
      counts.put(asset.publicId(), Map.of("original", originals ? 1 : 0, "derived", 0));
    }
    String next =
        matched.size() > limit ? ResourceLister.encode(batch.get(batch.size() - 1).key()) : null;
    return answer(deleted, counts, next);
  }

  private static Map<String, Object> answer(
      Map<String, Object> deleted, Map<String, Object> counts, String nextCursor) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("deleted", deleted);
    body.put("deleted_counts", counts);
    body.put("partial", nextCursor != null);
    if (nextCursor != null) {
      body.put("next_cursor", nextCursor);
    }
    return body;
  }

  /** {@code public_ids[]} as SDKs send it (repeated), or {@code public_ids} comma-joined. */
  /** {@code public_ids[]} (forms), or {@code public_ids} (JSON arrays, comma lists). */
  static List<String> publicIds(ApiRequest request) {
    List<String> ids = new ArrayList<>();
    for (String value : request.params().getOrDefault("public_ids[]", List.of())) {
      if (!value.isEmpty()) {
        ids.add(value);
      }
    }
    for (String value : request.params().getOrDefault("public_ids", List.of())) {
      for (String id : value.split(",")) {
        if (!id.isEmpty()) {
          ids.add(id);
        }
      }
    }
    return ids;
  }
}
