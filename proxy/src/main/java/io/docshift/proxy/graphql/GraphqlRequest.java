package io.docshift.proxy.graphql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * A GraphQL-over-HTTP request: {@code query}, {@code operationName} and {@code variables} from a
 * POST's JSON body or a GET's query string (where {@code variables} is JSON text).
 */
record GraphqlRequest(String query, String operationName, Map<String, Object> variables) {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** Parses a POST body; throws {@link IllegalArgumentException} saying what is wrong. */
  static GraphqlRequest fromBody(String body) {
    JsonNode json;
    try {
      json = MAPPER.readTree(body);
    } catch (IOException e) {
      throw new IllegalArgumentException("body: not JSON");
    }
    if (json == null || !json.isObject()) {
      throw new IllegalArgumentException("body: expected a JSON object with a query");
    }
    return of(json.get("query"), json.get("operationName"), json.get("variables"));
  }

  /** Parses a GET's query string. */
  static GraphqlRequest fromQuery(QueryStringDecoder uri) {
    Map<String, List<String>> p = uri.parameters();
    JsonNode variables;
    try {
      variables = p.containsKey("variables") ? MAPPER.readTree(p.get("variables").get(0)) : null;
    } catch (IOException e) {
      throw new IllegalArgumentException("variables: not JSON");
    }
    return of(text(p, "query"), text(p, "operationName"), variables);
  }

  private static JsonNode text(Map<String, List<String>> p, String name) {
    return p.containsKey(name) ? MAPPER.getNodeFactory().textNode(p.get(name).get(0)) : null;
  }

  @SuppressWarnings("unchecked")
  private static GraphqlRequest of(JsonNode query, JsonNode operationName, JsonNode variables) {
    if (query == null || !query.isTextual() || query.asText().isBlank()) {
      throw new IllegalArgumentException("query: missing (expected: a GraphQL document)");
    }
    if (operationName != null && !operationName.isNull() && !operationName.isTextual()) {
      throw new IllegalArgumentException("operationName: expected a string");
    }
    if (variables != null && !variables.isNull() && !variables.isObject()) {
      throw new IllegalArgumentException("variables: expected a JSON object");
    }
    return new GraphqlRequest(
        query.asText(),
        operationName == null || operationName.isNull() ? null : operationName.asText(),
        variables == null || variables.isNull()
            ? Map.of()
            : MAPPER.convertValue(variables, Map.class));
  }
}
