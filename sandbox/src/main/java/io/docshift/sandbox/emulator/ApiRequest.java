package io.docshift.sandbox.emulator;

import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.multipart.InterfaceHttpData;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A {@code /v1_1/{cloud}/...} call after routing.
 *
 * @param http the request line and headers
 * @param path decoded path segments after {@code /v1_1/{cloud}}
 * @param params raw received parameter strings (query for GET, form fields for POST), in order
 * @param file the {@code file} part (a file upload or a text attribute), or {@code null}
 */
record ApiRequest(
    HttpRequest http, List<String> path, Map<String, List<String>> params, InterfaceHttpData file) {

  /** First value of a parameter, or {@code null} when absent or empty. */
  String param(String name) {
    List<String> values = params.get(name);
    return values == null || values.isEmpty() || values.get(0).isEmpty() ? null : values.get(0);
  }

  /** First value or a default. */
  String param(String name, String fallback) {
    String value = param(name);
    return value == null ? fallback : value;
  }

  /** Cloudinary booleans: Java sends {@code true/false}, Node and Python {@code 1/0}. */
  boolean flag(String name, boolean fallback) {
    String value = param(name);
    if (value == null) {
      return fallback;
    }
    String v = value.toLowerCase(Locale.ROOT);
    return v.equals("true") || v.equals("1");
  }

  /** A request header, or {@code null}. */
  String header(String name) {
    return http.headers().get(name);
  }
}
