package io.docshift.proxy.admin;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.CookieHeaderNames;
import io.netty.handler.codec.http.cookie.DefaultCookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import io.netty.handler.codec.http.cookie.ServerCookieEncoder;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Map;

/**
 * The console's session cookie: {@code HttpOnly} (page scripts never see it), {@code
 * SameSite=Strict} (no other site's page sends it), {@code Secure} when the browser reached us over
 * TLS, {@code Path=/} and a {@code Max-Age} of the session's absolute lifetime. The cookie holds
 * only the random session id; the operator's token never leaves the sign-in request.
 */
final class ConsoleCookies {
  static final String NAME = "docshift_console";

  private final Duration maxAge;

  ConsoleCookies(Duration maxAge) {
    this.maxAge = maxAge;
  }

  /** The session id the browser sent, or null. */
  String sessionId(HttpHeaders headers) {
    String header = headers.get(HttpHeaderNames.COOKIE);
    if (header == null) {
      return null;
    }
    for (Cookie cookie : ServerCookieDecoder.STRICT.decode(header)) {
      if (cookie.name().equals(NAME)) {
        return cookie.value();
      }
    }
    return null;
  }

  Map<String, String> issued(String sessionId, boolean secure) {
    return setCookie(sessionId, maxAge.toSeconds(), secure);
  }

  /** Tells the browser to drop the cookie now. */
  Map<String, String> cleared(boolean secure) {
    return setCookie("", 0, secure);
  }

  private static Map<String, String> setCookie(String value, long maxAgeSeconds, boolean secure) {
    DefaultCookie cookie = new DefaultCookie(NAME, value);
    cookie.setHttpOnly(true);
    cookie.setSameSite(CookieHeaderNames.SameSite.Strict);
    cookie.setSecure(secure);
    cookie.setPath("/");
    cookie.setMaxAge(maxAgeSeconds);
    return Map.of(HttpHeaderNames.SET_COOKIE.toString(), ServerCookieEncoder.STRICT.encode(cookie));
  }

  /** Constant-time comparison, so response times do not reveal a CSRF token byte by byte. */
  static boolean same(String given, String expected) {
    return MessageDigest.isEqual(given.getBytes(UTF_8), expected.getBytes(UTF_8));
  }
}
