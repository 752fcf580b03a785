package io.docshift.sandbox.emulator;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Delivery URLs of stored originals on the emulator's own host, shaped like Cloudinary's: {@code
 * {base}/{cloud}/{rt}/{type}/[s--SIG--/]v{version}/{public_id}[.{format}]}, signed for {@code
 * private} and {@code authenticated} assets.
 */
final class AssetUrls {
  private final String prefix;
  private final String apiSecret;

  AssetUrls(String baseUrl, String cloudName, String apiSecret) {
    this.prefix = baseUrl + "/" + cloudName;
    this.apiSecret = apiSecret;
  }

  /** The URL of an asset's original. */
  String of(Asset asset) {
    String source = encode(source(asset)); // signed as it appears in the URL, like the SDKs
    StringBuilder url =
        new StringBuilder(prefix)
            .append('/')
            .append(asset.resourceType())
            .append('/')
            .append(asset.type())
            .append('/');
    if (!asset.type().equals("upload")) {
      url.append("s--").append(Signatures.urlSignature(source, apiSecret, false)).append("--/");
    }
    return url.append('v').append(asset.version()).append('/').append(source).toString();
  }

  /** What the URL names after the version: the public id plus {@code .format} for image/video. */
  static String source(Asset asset) {
    return asset.format() == null ? asset.publicId() : asset.publicId() + "." + asset.format();
  }

  /** Percent-encodes like the SDKs' SmartUrlEncoder: {@code /} and {@code :} stay readable. */
  static String encode(String source) {
    return URLEncoder.encode(source, StandardCharsets.UTF_8)
        .replace("+", "%20")
        .replace("%2F", "/")
        .replace("%3A", ":");
  }
}
