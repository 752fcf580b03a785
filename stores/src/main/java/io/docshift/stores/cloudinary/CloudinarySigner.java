package io.docshift.stores.cloudinary;

import static java.util.Objects.requireNonNull;

import io.docshift.core.config.CloudinaryAccount;
import io.docshift.core.config.SignatureAlgorithm;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * Cloudinary's signatures (Cloudinary contract §4): request parameter signatures (signature
 * versions 1 and 2), delivery URL {@code s--SIG--} components and upload response signatures.
 * Verification compares in constant time. Thread-safe.
 */
public final class CloudinarySigner {
  /** Never signed: the file, the credentials, path-borne values and the signature itself. */
  private static final Set<String> UNSIGNED =
      Set.of("file", "api_key", "resource_type", "cloud_name", "signature");

  private final byte[] secret;
  private final SignatureAlgorithm algorithm;

  /** A signer for one account's secret and algorithm. */
  public CloudinarySigner(String apiSecret, SignatureAlgorithm algorithm) {
    requireNonNull(apiSecret, "apiSecret");
    this.secret = apiSecret.getBytes(StandardCharsets.UTF_8);
    this.algorithm = requireNonNull(algorithm, "algorithm");
  }

  /** A signer for {@code account}. */
  public static CloudinarySigner of(CloudinaryAccount account) {
    requireNonNull(account, "account");
    return new CloudinarySigner(account.apiSecret(), account.signatureAlgorithm());
  }

  /**
   * The string a parameter signature covers, before the secret: parameters other than {@code file},
   * {@code api_key}, {@code resource_type}, {@code cloud_name} and {@code signature}, without null
   * or empty values, collections joined with {@code ,}, sorted by name, as {@code k=v} joined with
   * {@code &}. Version 2 escapes {@code &} inside each pair as {@code %26}.
   *
   * @param params values are strings, collections (joined) or anything with a useful {@code
   *     toString}
   * @param signatureVersion 1 or 2
   */
  public static String stringToSign(Map<String, ?> params, int signatureVersion) {
    requireNonNull(params, "params");
    if (signatureVersion != 1 && signatureVersion != 2) {
      throw new IllegalArgumentException(
          "signatureVersion: " + signatureVersion + " (expected: 1 or 2)");
    }
    TreeMap<String, String> sorted = new TreeMap<>();
    params.forEach(
        (name, value) -> {
          String text = flatten(value);
          if (!UNSIGNED.contains(name) && text != null && !text.isEmpty()) {
            sorted.put(name, text);
          }
        });
    StringJoiner joined = new StringJoiner("&");
    sorted.forEach(
        (name, value) -> {
          String pair = name + "=" + value;
          joined.add(signatureVersion == 2 ? pair.replace("&", "%26") : pair);
        });
    return joined.toString();
  }

  private static String flatten(Object value) {
    if (value instanceof Collection) {
      StringJoiner joined = new StringJoiner(",");
      ((Collection<?>) value).forEach(item -> joined.add(String.valueOf(item)));
      return joined.toString();
    }
    return value == null ? null : value.toString();
  }

  /** The signature version 2 hex signature of {@code params}. */
  public String signParams(Map<String, ?> params) {
    return signParams(params, 2);
  }

  /** The hex signature of {@code params} under {@code signatureVersion} (1 or 2). */
  public String signParams(Map<String, ?> params, int signatureVersion) {
    return HexFormat.of().formatHex(digest(algorithm, stringToSign(params, signatureVersion)));
  }

  /** Whether {@code signature} (hex, any case) signs {@code params} under {@code version}. */
  public boolean verifyParams(Map<String, ?> params, String signature, int signatureVersion) {
    requireNonNull(signature, "signature");
    return constantTimeEquals(
        signParams(params, signatureVersion), signature.toLowerCase(java.util.Locale.ROOT));
  }

  /**
   * The delivery signature (the text inside {@code s--...--}): URL-safe base64 of the digest of
   * {@code toSign} + secret, first 8 characters.
   *
   * @param toSign {@code {transformations}/{public_id[.format]}} as it appears in the URL
   */
  public String deliverySignature(String toSign) {
    requireNonNull(toSign, "toSign");
    return urlSafe(digest(algorithm, toSign)).substring(0, 8);
  }

  /** The {@code long_url_signature} form: always SHA-256, first 32 characters. */
  public String longDeliverySignature(String toSign) {
    requireNonNull(toSign, "toSign");
    return urlSafe(digest(SignatureAlgorithm.SHA256, toSign)).substring(0, 32);
  }

  /** Whether {@code signature} (8 or 32 characters, without {@code s--}) signs {@code toSign}. */
  public boolean verifyDelivery(String toSign, String signature) {
    requireNonNull(toSign, "toSign");
    requireNonNull(signature, "signature");
    if (signature.length() == 32) {
      return constantTimeEquals(longDeliverySignature(toSign), signature);
    }
    return signature.length() == 8 && constantTimeEquals(deliverySignature(toSign), signature);
  }

  /**
   * The upload response signature: the parameter signature of {@code public_id} and {@code
   * version}.
   */
  public String responseSignature(String publicId, long version) {
    requireNonNull(publicId, "publicId");
    return signParams(Map.of("public_id", publicId, "version", Long.toString(version)), 2);
  }

  private byte[] digest(SignatureAlgorithm digestAlgorithm, String text) {
    try {
      MessageDigest md = MessageDigest.getInstance(digestAlgorithm.jcaName());
      md.update(text.getBytes(StandardCharsets.UTF_8));
      md.update(secret);
      return md.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("JDK without " + digestAlgorithm.jcaName(), e);
    }
  }

  private static String urlSafe(byte[] digest) {
    return Base64.getUrlEncoder().encodeToString(digest);
  }

  private static boolean constantTimeEquals(String expected, String actual) {
    return MessageDigest.isEqual(
        expected.getBytes(StandardCharsets.UTF_8), actual.getBytes(StandardCharsets.UTF_8));
  }
}
