package io.docshift.sandbox.emulator;

import java.io.IOException;
import java.util.Map;
import java.util.Set;

/**
 * The Upload API calls that delete or move one original besides {@code destroy}: {@code rename}
 * (signed; {@code from_public_id}, {@code to_public_id}, {@code type}, {@code to_type}, {@code
 * overwrite}), answered with the renamed asset's JSON, and {@code delete_by_token} (unsigned; the
 * token is the credential), answered {@code {"result":"ok"}}.
 */
final class MoveHandler {
  private static final Set<String> TYPES = Set.of("upload", "private", "authenticated");

  private final RequestAuth auth;
  private final AssetRepository repository;
  private final AssetJson json;
  private final DeleteTokens tokens;

  MoveHandler(RequestAuth auth, AssetRepository repository, AssetJson json, DeleteTokens tokens) {
    this.auth = auth;
    this.repository = repository;
    this.json = json;
    this.tokens = tokens;
  }

  Map<String, Object> rename(ApiRequest request, String resourceType) throws IOException {
    auth.verifySigned(request.params());
    String from = require(request, "from_public_id");
    String to = require(request, "to_public_id");
    String type = request.param("type", "upload");
    String toType = request.param("to_type", type);
    if (!TYPES.contains(toType)) {
      throw ApiException.badRequest("Invalid to_type " + toType);
    }
    Asset moved =
        repository.rename(
            new AssetKey(resourceType, type, from),
            new AssetKey(resourceType, toType, to),
            request.flag("overwrite", false));
    return json.uploaded(moved);
  }

  Map<String, Object> deleteByToken(ApiRequest request) throws IOException {
    String token = require(request, "token");
    AssetKey key =
        tokens.redeem(token).orElseThrow(() -> ApiException.unauthorized("Invalid token"));
    repository.delete(key);
    return Map.of("result", "ok");
  }

  /** Records a delete token in an upload answer that asked for one. */
  void grantToken(ApiRequest request, Map<String, Object> uploaded) {
    if (!request.flag("return_delete_token", false) || !uploaded.containsKey("version")) {
      return;
    }
    AssetKey key =
        new AssetKey(
            (String) uploaded.get("resource_type"),
            (String) uploaded.get("type"),
            (String) uploaded.get("public_id"));
    uploaded.put("delete_token", tokens.issue(key));
  }

  private static String require(ApiRequest request, String name) {
    String value = request.param(name);
    if (value == null) {
      throw ApiException.missing(name);
    }
    return value;
  }
}
