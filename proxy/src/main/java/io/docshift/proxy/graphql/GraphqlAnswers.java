package io.docshift.proxy.graphql;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import graphql.ExecutionResult;
import graphql.GraphQLError;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON bodies: refusals before execution, and executed results with their cost. */
final class GraphqlAnswers {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private GraphqlAnswers() {}

  /** {@code {"errors":[{"message","extensions":{"code"}}], "extensions":{"cost"}?}}. */
  static String refused(String code, String message, Map<String, Object> cost) {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("message", message);
    error.put("extensions", Map.of("code", code));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("errors", List.of(error));
    if (cost != null) {
      body.put("extensions", Map.of("cost", cost));
    }
    return json(body);
  }

  /** Parse or validation errors, each with {@code code}. */
  static String errors(String code, List<? extends GraphQLError> errors) {
    List<Object> list = new ArrayList<>();
    for (GraphQLError error : errors) {
      list.add(coded(error.toSpecification(), code));
    }
    return json(Map.of("errors", list));
  }

  static String executed(ExecutionResult result, Map<String, Object> cost, Spend spend) {
    Map<String, Object> body = new LinkedHashMap<>(result.toSpecification());
    if (body.get("errors") instanceof List<?> errors) {
      List<Object> coded = new ArrayList<>();
      for (Object error : errors) {
        coded.add(error instanceof Map<?, ?> m ? coded(m, Errors.UNAVAILABLE) : error);
      }
      body.put("errors", coded);
    }
    Map<String, Object> spent = new LinkedHashMap<>();
    spent.put("ledgerQueries", spend.ledgerQueries.get());
    spent.put("cloudinaryAdminApiCalls", spend.adminApiCalls.get());
    spent.put("s3Heads", spend.s3Heads.get());
    spent.put("s3Lists", spend.s3Lists.get());
    body.put("extensions", Map.of("cost", cost, "spent", spent));
    return json(body);
  }

  /** GitHub's and Shopify's names: what was asked, what was spent, what is left. */
  static Map<String, Object> cost(long requested, long actual, long remaining, CostRules rules) {
    Map<String, Object> cost = new LinkedHashMap<>();
    cost.put("requestedQueryCost", requested);
    cost.put("actualQueryCost", actual);
    cost.put("maxQueryCost", rules.maxCost());
    cost.put("maxDepth", rules.maxDepth());
    Map<String, Object> budget = new LinkedHashMap<>();
    budget.put("maximumAvailable", rules.budget());
    budget.put("currentlyAvailable", remaining < 0 ? null : remaining);
    budget.put("restoreRate", rules.refillPerSecond());
    cost.put("budget", budget);
    return cost;
  }

  /** The error with {@code extensions.code} added when it has none. */
  private static Map<String, Object> coded(Map<?, ?> error, String code) {
    Map<String, Object> copy = new LinkedHashMap<>();
    error.forEach((k, v) -> copy.put(String.valueOf(k), v));
    Map<String, Object> extensions = new LinkedHashMap<>();
    if (copy.get("extensions") instanceof Map<?, ?> existing) {
      existing.forEach((k, v) -> extensions.put(String.valueOf(k), v));
    }
    extensions.putIfAbsent("code", code);
    copy.put("extensions", extensions);
    return copy;
  }

  private static String json(Object body) {
    try {
      return MAPPER.writeValueAsString(body) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unserialisable GraphQL answer", e);
    }
  }
}
