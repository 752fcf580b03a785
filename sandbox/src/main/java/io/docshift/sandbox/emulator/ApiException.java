package io.docshift.sandbox.emulator;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * A Cloudinary API failure: answered as {@code {"error":{"message":...}}} with one of the status
 * codes the SDKs parse (400, 401, 403, 404, 420, 500).
 */
final class ApiException extends RuntimeException {
  static final HttpResponseStatus RATE_LIMITED = new HttpResponseStatus(420, "Enhance Your Calm");

  private final HttpResponseStatus status;
  private final transient HttpHeaders headers = new DefaultHttpHeaders();

  ApiException(HttpResponseStatus status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  static ApiException badRequest(String message) {
    return new ApiException(HttpResponseStatus.BAD_REQUEST, message);
  }

  static ApiException unauthorized(String message) {
    return new ApiException(HttpResponseStatus.UNAUTHORIZED, message);
  }

  static ApiException notFound(String message) {
    return new ApiException(HttpResponseStatus.NOT_FOUND, message);
  }

  static ApiException missing(String parameter) {
    return badRequest("Missing required parameter - " + parameter);
  }

  HttpResponseStatus status() {
    return status;
  }

  /** Extra headers for the error response, e.g. rate-limit headers. */
  HttpHeaders headers() {
    return headers;
  }
}
