package io.docshift.proxy.admin;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The operator console's static files, read once from the jar: only the names listed here are
 * served (no path from a request ever reaches the class loader), so nothing else in the jar leaks
 * and nothing is fetched from elsewhere. Every answer carries {@link #SECURITY_HEADERS}: a
 * Content-Security-Policy that allows scripts, styles and requests to this origin only, no framing,
 * no referrer.
 */
final class ConsoleAssets {
  static final String CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
          + "connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

  static final Map<String, String> SECURITY_HEADERS =
      Map.of(
          "Content-Security-Policy", CSP,
          "X-Content-Type-Options", "nosniff",
          "X-Frame-Options", "DENY",
          "Referrer-Policy", "no-referrer",
          "Cross-Origin-Opener-Policy", "same-origin");

  private static final String HOME = "/io/docshift/proxy/console/";

  private record Asset(String file, String contentType) {}

  private static final Map<String, Asset> ROUTES =
      Map.of(
          "/", new Asset("index.html", "text/html; charset=utf-8"),
          "/console/app.js", new Asset("app.js", "text/javascript; charset=utf-8"),
          "/console/views.js", new Asset("views.js", "text/javascript; charset=utf-8"),
          "/console/app.css", new Asset("app.css", "text/css; charset=utf-8"),
          "/favicon.ico", new Asset("favicon.svg", "image/svg+xml"));

  private final Map<String, AdminResponse> answers = new HashMap<>();

  ConsoleAssets() {
    ROUTES.forEach((path, asset) -> answers.put(path, answer(asset)));
  }

  /** Whether {@code path} is one of the console's files. */
  boolean serves(String path) {
    return answers.containsKey(path);
  }

  AdminResponse get(String path) {
    return answers.get(path);
  }

  private static AdminResponse answer(Asset asset) {
    return new AdminResponse(
        HttpResponseStatus.OK, asset.contentType(), read(asset.file()), null, 0, SECURITY_HEADERS);
  }

  private static String read(String file) {
    try (InputStream in = ConsoleAssets.class.getResourceAsStream(HOME + file)) {
      if (in == null) {
        throw new IllegalStateException("console asset missing from the jar: " + file);
      }
      return new String(in.readAllBytes(), UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
