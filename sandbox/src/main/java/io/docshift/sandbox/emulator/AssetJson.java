package io.docshift.sandbox.emulator;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** The JSON shapes of an asset: Admin API resource, details, and Upload API response. */
final class AssetJson {
  private final AssetUrls urls;
  private final EmulatorConfig config;

  AssetJson(AssetUrls urls, EmulatorConfig config) {
    this.urls = urls;
    this.config = config;
  }

  /**
   * A resource as listed by the Admin API. Includes {@code etag} although the real list may omit it
   * (Cloudinary contract OQ 7): clients must treat it as optional.
   */
  Map<String, Object> resource(Asset a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("asset_id", a.assetId());
    m.put("public_id", a.publicId());
    if (a.format() != null) {
      m.put("format", a.format());
    }
    m.put("version", a.version());
    m.put("resource_type", a.resourceType());
    m.put("type", a.type());
    m.put("created_at", createdAt(a));
    m.put("bytes", a.bytes());
    if (a.width() != null) {
      m.put("width", a.width());
      m.put("height", a.height());
    }
    m.put("folder", folder(a.publicId()));
    m.put("access_mode", a.accessModeOrPublic());
    m.put("etag", a.etag());
    String url = urls.of(a);
    m.put("url", url);
    m.put("secure_url", url);
    return m;
  }

  /**
   * {@code GET /resources/{rt}/{type}/{public_id}}: the resource plus version id, tags, derived.
   */
  Map<String, Object> details(Asset a) {
    Map<String, Object> m = resource(a);
    m.put("version_id", a.versionId());
    m.put("tags", a.tags());
    m.put("placeholder", false);
    m.put("derived", java.util.List.of());
    return m;
  }

  /** The Upload API response (Cloudinary contract §5). */
  Map<String, Object> uploaded(Asset a) {
    Map<String, Object> m = details(a);
    m.remove("derived");
    m.put("signature", Signatures.responseSignature(a.publicId(), a.version(), config.apiSecret()));
    m.put("original_filename", a.originalFilename());
    m.put("api_key", config.apiKey());
    return m;
  }

  private static String createdAt(Asset a) {
    return Instant.ofEpochSecond(a.createdAt()).toString();
  }

  private static String folder(String publicId) {
    int slash = publicId.lastIndexOf('/');
    return slash < 0 ? "" : publicId.substring(0, slash);
  }
}
