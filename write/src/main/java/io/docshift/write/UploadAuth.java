package io.docshift.write;

import io.docshift.core.config.CloudinaryAccount;
import io.docshift.stores.cloudinary.CloudinarySigner;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Map;

/**
 * Verifies a signed Upload API call the way Cloudinary does, for when DocShift must decide before
 * (or instead of) Cloudinary: the api_key, a timestamp at most an hour old, and the signature over
 * the raw received strings (v2, or v1 for old SDKs; SHA-1 or SHA-256 as the account is set up).
 * Errors carry Cloudinary's status and wording, so SDKs raise the exception they always did.
 */
final class UploadAuth {
  private static final long MAX_AGE_SECONDS = 3600;
  private static final DateTimeFormatter STALE_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss '+0000'").withZone(ZoneOffset.UTC);

  private final CloudinaryAccount account;
  private final CloudinarySigner signer;
  private final Clock clock;

  UploadAuth(CloudinaryAccount account, Clock clock) {
    this.account = account;
    this.signer = CloudinarySigner.of(account);
    this.clock = clock;
  }

  /** Whether the call is signed at all (unsigned ones use an upload preset or an OAuth token). */
  static boolean isSigned(Map<String, String> params) {
    return nonEmpty(params.get("signature")) || nonEmpty(params.get("api_key"));
  }

  /**
   * @throws BadUpload 401 for a missing or unknown key or a wrong signature, 400 for a missing or
   *     stale timestamp
   */
  void verify(Map<String, String> params) {
    String apiKey = params.get("api_key");
    if (!nonEmpty(apiKey)) {
      throw new BadUpload(401, "Must supply api_key");
    }
    if (!same(apiKey, account.apiKey())) {
      throw new BadUpload(401, "Unknown API key " + apiKey);
    }
    checkFresh(params.get("timestamp"));
    String signature = params.get("signature");
    if (!nonEmpty(signature)) {
      throw new BadUpload(400, "Missing required parameter - signature");
    }
    if (!signer.verifyParams(params, signature, 2) && !signer.verifyParams(params, signature, 1)) {
      throw new BadUpload(
          401,
          "Invalid Signature "
              + signature
              + ". String to sign - '"
              + CloudinarySigner.stringToSign(params, 2)
              + "'.");
    }
  }

  /**
   * Whether {@link #verify} accepts {@code params}: for calls Cloudinary authenticates itself, so
   * DocShift commits work of its own (repair intents before the call) only for a caller it also
   * knows, and never answers differently from Cloudinary.
   */
  boolean accepts(Map<String, String> params) {
    return passes(() -> verify(params));
  }

  /** Whether {@link #verifyBasic} accepts {@code authorization}, as {@link #accepts} is used. */
  boolean acceptsBasic(String authorization) {
    return passes(() -> verifyBasic(authorization));
  }

  private static boolean passes(Runnable check) {
    try {
      check.run();
      return true;
    } catch (BadUpload e) {
      return false;
    }
  }

  /**
   * Checks an Admin API call's HTTP Basic {@code api_key:api_secret}, for the calls DocShift
   * answers without Cloudinary ({@code S3_ONLY}).
   *
   * @throws BadUpload 401 with Cloudinary's wording
   */
  void verifyBasic(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      throw new BadUpload(401, "Must supply api_key");
    }
    String decoded;
    try {
      decoded =
          new String(
              Base64.getDecoder().decode(authorization.substring(6).trim()),
              StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new BadUpload(401, "Invalid Basic authorization header");
    }
    int colon = decoded.indexOf(':');
    String key = colon < 0 ? decoded : decoded.substring(0, colon);
    if (!same(key, account.apiKey())) {
      throw new BadUpload(401, "Unknown API key " + key);
    }
    if (colon < 0 || !same(decoded.substring(colon + 1), account.apiSecret())) {
      throw new BadUpload(401, "api_secret mismatch");
    }
  }

  private void checkFresh(String timestamp) {
    if (!nonEmpty(timestamp)) {
      throw new BadUpload(400, "Missing required parameter - timestamp");
    }
    long seconds;
    try {
      seconds = Long.parseLong(timestamp.trim());
    } catch (NumberFormatException e) {
      throw new BadUpload(400, "Invalid timestamp " + timestamp);
    }
    if (clock.instant().getEpochSecond() - seconds > MAX_AGE_SECONDS) {
      throw new BadUpload(
          400,
          "Stale request - reported time is "
              + STALE_TIME.format(Instant.ofEpochSecond(seconds))
              + " which is more than 1 hour ago");
    }
  }

  private static boolean same(String a, String b) {
    return MessageDigest.isEqual(
        a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  private static boolean nonEmpty(String value) {
    return value != null && !value.isEmpty();
  }
}
