package io.docshift.sandbox.emulator;

import java.io.IOException;
import java.util.Map;

/**
 * {@code POST /v1_1/{cloud}/{rt}/destroy}: signed like an upload; answers {@code {"result":"ok"}}
 * or {@code {"result":"not found"}}, both with HTTP 200 as the service does.
 */
final class DestroyHandler {
  private final RequestAuth auth;
  private final AssetRepository repository;

  DestroyHandler(RequestAuth auth, AssetRepository repository) {
    this.auth = auth;
    this.repository = repository;
  }

  Map<String, Object> destroy(ApiRequest request, String resourceType) throws IOException {
    auth.verifySigned(request.params());
    String publicId = request.param("public_id");
    if (publicId == null) {
      throw ApiException.missing("public_id");
    }
    AssetKey key = new AssetKey(resourceType, request.param("type", "upload"), publicId);
    return Map.of("result", repository.delete(key) ? "ok" : "not found");
  }
}
