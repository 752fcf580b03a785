package io.docshift.proxy.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * What an admin route answers, before it becomes Netty objects: a status, a content type and a
 * body; and, for 405, the allowed methods.
 */
record AdminResponse(HttpResponseStatus status, String contentType, String body, String allow) {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  static final String JSON = "application/json; charset=utf-8";
  static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";

  static AdminResponse json(HttpResponseStatus status, JsonNode body) {
    return new AdminResponse(status, JSON, body.toPrettyString() + "\n", null);
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
        allow);
  }

  static ObjectMapper mapper() {
    return MAPPER;
  }
}
