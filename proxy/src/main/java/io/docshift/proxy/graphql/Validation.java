package io.docshift.proxy.graphql;

import graphql.ExecutionInput;
import graphql.ParseAndValidate;
import graphql.ParseAndValidateResult;
import graphql.schema.GraphQLSchema;
import graphql.validation.GoodFaithIntrospectionExceeded;

/**
 * Parse and validate one request, every failure a 400 with {@code extensions.code}. graphql-java's
 * validator reports problems as errors, its depth and field-count ceilings included, but
 * <em>throws</em> for good-faith introspection (a query selecting {@code __type} or {@code
 * __Type.fields} more than once, or nesting introspection deep, could walk the schema
 * exponentially). Uncaught, that was a server failure (503); it is the caller's query, so it is
 * refused like our own limits.
 */
final class Validation {
  static final String INTROSPECTION_LIMIT = "INTROSPECTION_LIMIT";

  private Validation() {}

  /** Either the parsed document, or the refusal to send instead. */
  record Outcome(ParseAndValidateResult parsed, GraphqlEndpoint.Answer refusal) {}

  static Outcome of(GraphQLSchema schema, ExecutionInput input) {
    ParseAndValidateResult parsed;
    try {
      parsed = ParseAndValidate.parseAndValidate(schema, input);
    } catch (GoodFaithIntrospectionExceeded e) {
      return refused(INTROSPECTION_LIMIT, e.toBadFaithError().getMessage());
    }
    if (parsed.isFailure()) {
      String code =
          parsed.getSyntaxException() != null
              ? "GRAPHQL_PARSE_FAILED"
              : "GRAPHQL_VALIDATION_FAILED";
      return new Outcome(
          null,
          new GraphqlEndpoint.Answer(400, GraphqlAnswers.errors(code, parsed.getErrors()), null));
    }
    return new Outcome(parsed, null);
  }

  private static Outcome refused(String code, String message) {
    return new Outcome(
        null, new GraphqlEndpoint.Answer(400, GraphqlAnswers.refused(code, message, null), null));
  }
}
