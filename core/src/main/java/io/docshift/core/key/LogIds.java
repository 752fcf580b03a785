package io.docshift.core.key;

import static java.nio.charset.StandardCharsets.UTF_8;

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
