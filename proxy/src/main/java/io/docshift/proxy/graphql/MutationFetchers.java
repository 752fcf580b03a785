package io.docshift.proxy.graphql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;
import io.docshift.ledger.LedgerKey;
import io.docshift.traffic.control.TrafficConflictException;
import io.docshift.traffic.control.TrafficJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The mutations. {@code setTraffic} and {@code resumeTraffic}: the input goes through the admin
 * API's own reader ({@link TrafficJson#readChange}) into the same {@code TrafficControl} calls, so
 * validation, conflicts and the audit event are the admin API's, actor included. {@code reverify}
 * and {@code repair}: the {@code docshift verify} walk over the named documents ({@link
 * DocumentChecks}), each document's outcome audited with the caller's name.
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

  DataFetcher<List<Map<String, Object>>> reverify() {
    return env -> checks(env, false);
  }

  DataFetcher<List<Map<String, Object>>> repair() {
    return env -> checks(env, true);
  }

  private List<Map<String, Object>> checks(DataFetchingEnvironment env, boolean repair)
      throws InterruptedException {
    List<Map<String, Object>> refs = env.getArgument("documents");
    List<LedgerKey> keys = new ArrayList<>();
    for (Map<String, Object> ref : refs) {
      keys.add(
          QueryFetchers.key(
              sources.cloud(),
              (String) ref.get("publicId"),
              (String) ref.get("resourceType"),
              (String) ref.get("type")));
    }
    Spend spend = env.getGraphQlContext().get(Spend.class);
    return sources.checks().run(keys, repair, actor(env), env.getArgument("reason"), spend);
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
