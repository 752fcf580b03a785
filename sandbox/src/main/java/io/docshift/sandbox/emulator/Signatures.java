package io.docshift.sandbox.emulator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Cloudinary's signature algorithms (Cloudinary contract §4): API request signatures over sorted
 * {@code k=v} pairs, the response signature, and the {@code s--SIG--} delivery component.
 * Everything works on the raw strings received, because SDKs differ in how they render values.
 */
final class Signatures {
  /** Parameters never signed. */
  private static final Set<String> UNSIGNED =
      Set.of("file", "api_key", "resource_type", "cloud_name", "signature");

  private Signatures() {}

  /**
   * The string to sign (secret not appended). Array parameters ({@code name[]}) are signed under
   * the bare name with values joined by {@code ,}; empty values are dropped. Version 2 escapes
   * {@code &} inside each pair as {@code %26}; version 1 does not.
   */
  static String stringToSign(Map<String, List<String>> params, int signatureVersion) {
    TreeMap<String, String> sorted = new TreeMap<>();
    for (Map.Entry<String, List<String>> e : params.entrySet()) {
      String name =
          e.getKey().endsWith("[]") ? e.getKey().substring(0, e.getKey().length() - 2) : e.getKey();
      List<String> values = new ArrayList<>();
      for (String v : e.getValue()) {
        if (!v.isEmpty()) {
          values.add(v);
        }
      }
      if (!UNSIGNED.contains(name) && !values.isEmpty()) {
        sorted.merge(name, String.join(",", values), (a, b) -> a + "," + b);
      }
    }
    List<String> pairs = new ArrayList<>();
    sorted.forEach(
        (k, v) -> {
          String pair = k + "=" + v;
          pairs.add(signatureVersion >= 2 ? pair.replace("&", "%26") : pair);
        });
    return String.join("&", pairs);
  }

  /**
   * Whether {@code signature} is valid for the params: SHA-1 (40 hex) or SHA-256 (64 hex), over the
   * version-2 or the version-1 string (Cloudinary contract OQ 3).
   */
  static boolean verify(Map<String, List<String>> params, String secret, String signature) {
    String algorithm = signature.length() == 64 ? "SHA-256" : "SHA-1";
    for (int version : new int[] {2, 1}) {
      String expected = hex(algorithm, stringToSign(params, version) + secret);
      if (MessageDigest.isEqual(
          expected.getBytes(StandardCharsets.US_ASCII),
          signature.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII))) {
        return true;
      }
    }
    return false;
  }

  /** Lower-case hex digest of a UTF-8 string. */
  static String hex(String algorithm, String text) {
    return HexFormat.of().formatHex(digest(algorithm, text));
  }

  /**
   * {@code signature} field of upload responses: SHA-1 of {@code public_id=..&version=..}+secret.
   */
  static String responseSignature(String publicId, long version, String secret) {
    return hex("SHA-1", "public_id=" + publicId + "&version=" + version + secret);
  }

  /**
   * The {@code s--SIG--} component: URL-safe base64 of the raw digest of {@code toSign}+secret, 8
   * chars of SHA-1, or 32 chars of SHA-256 for long signatures.
   */
  static String urlSignature(String toSign, String secret, boolean longSignature) {
    byte[] hash = digest(longSignature ? "SHA-256" : "SHA-1", toSign + secret);
    String encoded = Base64.getUrlEncoder().encodeToString(hash);
    return encoded.substring(0, longSignature ? 32 : 8);
  }

  /** Constant-time string comparison. */
  static boolean same(String a, String b) {
    return MessageDigest.isEqual(
        a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] digest(String algorithm, String text) {
    try {
      return MessageDigest.getInstance(algorithm).digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("JDK lacks " + algorithm, e);
    }
  }
}
