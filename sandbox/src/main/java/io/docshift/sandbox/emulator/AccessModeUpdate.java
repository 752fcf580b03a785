package io.docshift.sandbox.emulator;

import java.io.IOException;
import java.util.List;
import java.util.Set;

/**
 * Admin API {@code update}: {@code POST /resources/{rt}/{type}/{public_id}}. Of its parameters the
 * emulator implements {@code access_mode} ({@code public} or {@code authenticated}); an {@code
 * authenticated} asset of type {@code upload} is then delivered only through a signed URL, as
 * Cloudinary does. Other parameters (tags, context, moderation, ...) are accepted and ignored. The
 * answer is the asset's details, as Cloudinary answers an update. The bulk form, {@code
 * resources/{rt}/{type}/update_access_mode}, is {@link AccessModeBulk}'s. The body may be a form or
 * JSON (as the Java SDK sends Admin API calls).
 */
final class AccessModeUpdate {
  private static final Set<String> MODES = Set.of("public", "authenticated");

  private final AssetRepository repository;
  private final AssetJson json;
  private final AccessModeBulk bulk;

  AccessModeUpdate(AssetRepository repository, AssetJson json) {
    this.repository = repository;
    this.json = json;
    this.bulk = new AccessModeBulk(repository);
  }

  /** {@code path} is {@code resources/{rt}/{type}/{public_id...}}. */
  Object update(ApiRequest request, List<String> path) throws IOException {
    if (path.size() < 4 || !AdminApiHandler.RESOURCE_TYPES.contains(path.get(1))) {
      throw ApiException.badRequest("Invalid update path");
    }
    AssetKey key =
        new AssetKey(path.get(1), path.get(2), String.join("/", path.subList(3, path.size())));
    String mode = request.param("access_mode");
    if (path.size() == 4 && path.get(3).equals(AccessModeBulk.ACTION)) {
      if (mode == null || !MODES.contains(mode)) {
        throw ApiException.badRequest("Invalid access_mode " + mode);
      }
      return bulk.update(request, path.get(1), path.get(2), mode);
    }
    if (mode == null) {
      return json.details(
          repository
              .find(key)
              .orElseThrow(() -> ApiException.notFound("Resource not found - " + key.publicId())));
    }
    if (!MODES.contains(mode)) {
      throw ApiException.badRequest("Invalid access_mode " + mode);
    }
    return json.details(repository.updateAccessMode(key, mode));
  }
}
