package io.docshift.proxy.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * What an admin route answers, before it becomes Netty objects: a status, a content type and a
 * body; for 405, the allowed methods; for 429, when to retry.
 */
record AdminResponse(
    HttpResponseStatus status,
    String contentType,
    String body,
    String allow,
    long retryAfterSeconds) {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  static final String JSON = "application/json; charset=utf-8";
  static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";

  static AdminResponse json(HttpResponseStatus status, JsonNode body) {
    return new AdminResponse(status, JSON, body.toPrettyString() + "\n", null, 0);
  }

  static AdminResponse ok(JsonNode body) {
    return json(HttpResponseStatus.OK, body);
  }

  static AdminResponse error(HttpResponseStatus status, String message) {
    return json(status, MAPPER.createObjectNode().put("error", message));
  }

  static AdminResponse notAllowed(String allow) {
    return new AdminResponse(
        HttpResponseStatus.METHOD_NOT_ALLOWED,
        JSON,
        MAPPER.createObjectNode().put("error", "method not allowed; use " + allow) + "\n",
        allow,
        0);
  }

  /** This answer with {@code Retry-After: seconds}. */
  AdminResponse withRetryAfter(long seconds) {
    return new AdminResponse(status, contentType, body, allow, seconds);
  }

  static ObjectMapper mapper() {
    return MAPPER;
  }
}
