package io.docshift.proxy.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.docshift.proxy.graphql.GraphqlEndpoint;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an admin route answers, before it becomes Netty objects: a status, a content type and a
 * body; for 405, the allowed methods; for 429, when to retry; any further headers (the console's
 * cookie and security policy).
 */
record AdminResponse(
    HttpResponseStatus status,
    String contentType,
    String body,
    String allow,
    long retryAfterSeconds,
    Map<String, String> headers) {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  static final String JSON = "application/json; charset=utf-8";
  static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";

  AdminResponse(
      HttpResponseStatus status,
      String contentType,
      String body,
      String allow,
      long retryAfterSeconds) {
    this(status, contentType, body, allow, retryAfterSeconds, Map.of());
  }

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

  /** A GraphQL endpoint's answer, as it is. */
  static AdminResponse graphql(GraphqlEndpoint.Answer answer) {
    return new AdminResponse(
        HttpResponseStatus.valueOf(answer.status()),
        GraphqlEndpoint.CONTENT_TYPE,
        answer.body(),
        answer.allow(),
        0);
  }

  /** This answer with {@code Retry-After: seconds}. */
  AdminResponse withRetryAfter(long seconds) {
    return new AdminResponse(status, contentType, body, allow, seconds, headers);
  }

  /** This answer with {@code more} headers added to its own. */
  AdminResponse withHeaders(Map<String, String> more) {
    Map<String, String> all = new LinkedHashMap<>(headers);
    all.putAll(more);
    return new AdminResponse(status, contentType, body, allow, retryAfterSeconds, all);
  }

  static ObjectMapper mapper() {
    return MAPPER;
  }
}
