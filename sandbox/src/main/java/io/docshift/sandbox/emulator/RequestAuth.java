package io.docshift.sandbox.emulator;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Authentication of API calls: signed parameters for the Upload API and signed download URLs, HTTP
 * Basic for the Admin API. Error texts and codes follow Cloudinary contract §4 and §6.
 */
final class RequestAuth {
  /** A signature is valid for one hour from its timestamp. */
  static final long MAX_AGE_SECONDS = 3600;

  private static final DateTimeFormatter STALE_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss '+0000'").withZone(ZoneOffset.UTC);

  private final EmulatorConfig config;

  RequestAuth(EmulatorConfig config) {
    this.config = config;
  }

  /**
   * Checks an {@code upload} call: signed parameters, or (no {@code api_key} and no {@code
   * signature}) an {@code upload_preset} the account allows for unsigned uploads. Refusals use
   * Cloudinary's wording: {@code Upload preset not found} for a preset the account does not have,
   * {@code Upload preset must be whitelisted for unsigned uploads} for a signed-only one.
   *
   * @return true when the call is an accepted unsigned upload
   */
  boolean verifyUpload(Map<String, List<String>> params) {
    String preset = first(params, "upload_preset");
    if (preset == null || first(params, "api_key") != null || first(params, "signature") != null) {
      verifySigned(params);
      return false;
    }
    boolean unsigned =
        config
            .presetIsUnsigned(preset)
            .orElseThrow(() -> ApiException.badRequest("Upload preset not found"));
    if (!unsigned) {
      throw ApiException.badRequest("Upload preset must be whitelisted for unsigned uploads");
    }
    return true;
  }

  /** Checks api key, timestamp freshness and signature of signed Upload API params. */
  void verifySigned(Map<String, List<String>> params) {
    String apiKey = first(params, "api_key");
    if (apiKey == null) {
      throw ApiException.unauthorized("Must supply api_key");
    }
    checkKey(apiKey);
    checkFresh(timestamp(params));
    checkSignature(params);
  }

  /** Same as {@link #verifySigned} but freshness comes from {@code expires_at} when present. */
  void verifyDownload(Map<String, List<String>> params) {
    String apiKey = first(params, "api_key");
    if (apiKey == null) {
      throw ApiException.unauthorized("Must supply api_key");
    }
    checkKey(apiKey);
    String expiresAt = first(params, "expires_at");
    if (expiresAt == null) {
      checkFresh(timestamp(params));
    } else if (parseLong("expires_at", expiresAt) < now()) {
      throw ApiException.unauthorized(
          "Download URL expired at "
              + STALE_TIME.format(Instant.ofEpochSecond(parseLong("expires_at", expiresAt))));
    }
    checkSignature(params);
  }

  /** HTTP Basic {@code api_key:api_secret} of Admin API calls. */
  void verifyBasic(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      throw ApiException.unauthorized("Must supply api_key");
    }
    String decoded;
    try {
      decoded =
          new String(
              Base64.getDecoder().decode(authorization.substring(6).trim()),
              StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw ApiException.unauthorized("Invalid Basic authorization header");
    }
    int colon = decoded.indexOf(':');
    String key = colon < 0 ? decoded : decoded.substring(0, colon);
    checkKey(key);
    if (colon < 0 || !Signatures.same(decoded.substring(colon + 1), config.apiSecret())) {
      throw ApiException.unauthorized("api_secret mismatch");
    }
  }

  private void checkKey(String apiKey) {
    if (!Signatures.same(apiKey, config.apiKey())) {
      throw ApiException.unauthorized("Unknown API key " + apiKey);
    }
  }

  private long timestamp(Map<String, List<String>> params) {
    String timestamp = first(params, "timestamp");
    if (timestamp == null) {
      throw ApiException.missing("timestamp");
    }
    return parseLong("timestamp", timestamp);
  }

  /** Rejects timestamps over an hour old; future ones are accepted (clock skew). */
  private void checkFresh(long timestamp) {
    if (now() - timestamp > MAX_AGE_SECONDS) {
      throw ApiException.badRequest(
          "Stale request - reported time is "
              + STALE_TIME.format(Instant.ofEpochSecond(timestamp))
              + " which is more than 1 hour ago");
    }
  }

  private void checkSignature(Map<String, List<String>> params) {
    String signature = first(params, "signature");
    if (signature == null) {
      throw ApiException.missing("signature");
    }
    if (!Signatures.verify(params, config.apiSecret(), signature)) {
      throw ApiException.unauthorized(
          "Invalid Signature "
              + signature
              + ". String to sign - '"
              + Signatures.stringToSign(params, 2)
              + "'.");
    }
  }

  private long now() {
    return config.clock().instant().getEpochSecond();
  }

  private static long parseLong(String name, String value) {
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("Invalid " + name + " " + value);
    }
  }

  private static String first(Map<String, List<String>> params, String name) {
    List<String> values = params.get(name);
    return values == null || values.isEmpty() || values.get(0).isEmpty() ? null : values.get(0);
  }
}
