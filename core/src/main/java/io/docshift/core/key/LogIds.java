package io.docshift.core.key;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.net.URLEncoder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Document ids as log lines may show them. Public ids name people in a healthcare document store,
 * so a log line carries {@code id:} and the first 12 hex digits of the SHA-256 of the id (enough to
 * match lines about one document, and to find it from a known id with {@link #hash}); the id itself
 * only when the operator set {@value #ENV} to {@code true}.
 */
public final class LogIds {
  /** The environment variable that lets public ids into logs in clear. */
  public static final String ENV = "DOCSHIFT_LOG_PUBLIC_IDS";

  private static final boolean CLEAR = enabled(System.getenv(ENV));

  private LogIds() {}

  /** {@code id} (a key, a ledger key, a public id) for a log line. */
  public static String of(Object id) {
    return of(id, CLEAR);
  }

  static String of(Object id, boolean clear) {
    String text = String.valueOf(id);
    return clear ? text : hash(text);
  }

  /**
   * {@code text} (a store's error, an outcome's detail) with {@code publicId} in it, as is or
   * URL-encoded (form or path style), replaced by its {@link #hash}: store errors quote the key or
   * URL they failed on, and the line that reports them must not carry the id. Unchanged when the
   * operator let ids into logs.
   */
  public static String redact(String text, String publicId) {
    return redact(text, publicId, CLEAR);
  }

  static String redact(String text, String publicId, boolean clear) {
    if (clear || text == null || publicId == null || publicId.isEmpty()) {
      return text;
    }
    String hash = hash(publicId);
    String form = URLEncoder.encode(publicId, UTF_8);
    String percent = form.replace("+", "%20");
    return text.replace(publicId, hash)
        .replace(form, hash)
        .replace(percent, hash)
        .replace(percent.replace("%2F", "/"), hash);
  }

  /** {@code id:} and 12 hex digits of the SHA-256 of {@code text}. */
  public static String hash(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(UTF_8));
      return "id:" + HexFormat.of().formatHex(digest, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  static boolean enabled(String value) {
    return value != null && value.strip().toLowerCase(Locale.ROOT).matches("true|1|yes");
  }
}
