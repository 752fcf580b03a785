package io.docshift.write;

import io.docshift.core.digest.Digests;
import io.docshift.core.key.DocumentKey;
import io.docshift.stores.cloudinary.CloudinarySigner;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The upload answer built when S3 is the primary (Cloudinary contract §5): the fields the SDKs
 * read, with {@code url}/{@code secure_url} pointing at the proxy (signed for private and
 * authenticated, as Cloudinary's are) and the response {@code signature} over public_id and
 * version, so {@code ApiResponseSignatureVerifier} accepts it.
 */
final class UploadJson {
  private UploadJson() {}

  static Map<String, Object> of(
      DocumentKey key,
      long version,
      Digests digests,
      long bytes,
      String host,
      String apiKey,
      String originalFilename,
      CloudinarySigner signer) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("asset_id", digests.md5());
    json.put("public_id", key.publicId());
    json.put("version", version);
    json.put("version_id", digests.sha256().substring(0, 32));
    json.put("signature", signer.responseSignature(key.publicId(), version));
    key.format().ifPresent(f -> json.put("format", f));
    json.put("resource_type", key.resourceType().wireName());
    json.put("created_at", DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochSecond(version)));
    json.put("tags", List.of());
    json.put("bytes", bytes);
    json.put("type", key.type().wireName());
    json.put("etag", digests.md5());
    json.put("placeholder", false);
    String path = path(key, version, signer);
    json.put("url", "http://" + host + path);
    json.put("secure_url", "https://" + host + path);
    json.put("access_mode", "public");
    if (originalFilename != null) {
      json.put("original_filename", originalFilename);
    }
    json.put("api_key", apiKey);
    return json;
  }

  private static String path(DocumentKey key, long version, CloudinarySigner signer) {
    String source = key.format().map(f -> key.publicId() + "." + f).orElse(key.publicId());
    String signature =
        key.type().signatureRequired() ? "s--" + signer.deliverySignature(source) + "--/" : "";
    return "/"
        + key.cloud()
        + "/"
        + key.resourceType().wireName()
        + "/"
        + key.type().wireName()
        + "/"
        + signature
        + "v"
        + version
        + "/"
        + source;
  }
}
