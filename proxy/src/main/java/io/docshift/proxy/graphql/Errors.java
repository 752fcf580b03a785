package io.docshift.proxy.graphql;

import graphql.GraphqlErrorException;
import java.util.Map;

/** Errors carrying {@code extensions.code}, as GraphQL-over-HTTP clients expect. */
final class Errors {
  static final String BAD_USER_INPUT = "BAD_USER_INPUT";
  static final String CONFLICT = "CONFLICT";
  static final String UNAVAILABLE = "UNAVAILABLE";

  private Errors() {}

  static GraphqlErrorException userInput(String message) {
    return coded(BAD_USER_INPUT, message);
  }

  static GraphqlErrorException coded(String code, String message) {
    return GraphqlErrorException.newErrorException()
        .message(message)
        .extensions(Map.of("code", code))
        .build();
  }
}
