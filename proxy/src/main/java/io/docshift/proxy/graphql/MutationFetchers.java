package io.docshift.proxy.graphql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;
import io.docshift.core.traffic.control.TrafficConflictException;
import io.docshift.core.traffic.control.TrafficJson;
import java.util.Map;

/**
 * {@code setTraffic} and {@code resumeTraffic}: the input goes through the admin API's own reader
 * ({@link TrafficJson#readChange}) into the same {@code TrafficControl} calls, so validation,
 * conflicts and the audit event are the admin API's, actor included.
 */
final class MutationFetchers {
  /** The GraphQL context key of the caller's actor name. */
  static final String ACTOR = "docshift.actor";

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final Sources sources;

  MutationFetchers(Sources sources) {
    this.sources = sources;
  }

  DataFetcher<Map<String, Object>> setTraffic() {
    return env -> {
      Map<String, Object> input = env.getArgument("input");
      JsonNode json = MAPPER.valueToTree(input);
      JsonNode reason = json.path("reason");
      return guarded(
          env,
          () ->
              sources
                  .control()
                  .set(
                      TrafficJson.readChange(json),
                      actor(env),
                      reason.isTextual() ? reason.asText() : null));
    };
  }

  DataFetcher<Map<String, Object>> resumeTraffic() {
    return env ->
        guarded(env, () -> sources.control().resume(actor(env), env.getArgument("reason")));
  }

  private Map<String, Object> guarded(DataFetchingEnvironment env, Runnable change) {
    try {
      QueryFetchers.ledger(
          env,
          () -> {
            change.run();
            return null;
          });
    } catch (IllegalArgumentException e) {
      throw Errors.userInput(e.getMessage());
    } catch (TrafficConflictException e) {
      throw Errors.coded(Errors.CONFLICT, e.getMessage());
    }
    return QueryFetchers.traffic(sources);
  }

  private static String actor(DataFetchingEnvironment env) {
    return env.getGraphQlContext().get(ACTOR);
  }
}
