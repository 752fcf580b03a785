package io.docshift.proxy.graphql;

import static java.util.Objects.requireNonNull;

import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.GraphQLError;
import graphql.ParseAndValidateResult;
import graphql.execution.instrumentation.dataloader.DataLoaderDispatchingContextKeys;
import graphql.language.NodeUtil;
import graphql.language.OperationDefinition;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET|POST /graphql} on the admin listener (GraphQL over HTTP): parse and validate, then the
 * static cost, depth and {@code first} checks and the caller's budget, all before anything runs;
 * only then execution with per-request DataLoaders. GraphqlAnswers are {@code
 * application/graphql-response+json}; requests refused before execution are 4xx with {@code
 * errors[].extensions.code}, executed ones 200 with {@code extensions.cost} and {@code
 * extensions.spent}. Blocking: call it on a worker thread.
 */
public final class GraphqlEndpoint implements AutoCloseable {
  /** The media type of every answer. */
  public static final String CONTENT_TYPE = "application/graphql-response+json; charset=utf-8";

  private final GraphQL graphql;
  private final Sources sources;
  private final CostRules rules;
  private final CostBudget budget;
  private final AutoCloseable owned;

  GraphqlEndpoint(Sources sources, CostRules rules, Clock clock, AutoCloseable owned) {
    this.sources = sources;
    this.graphql = Schema.build(sources);
    this.rules = rules;
    this.budget = new CostBudget(rules, clock);
    this.owned = owned;
  }

  /**
   * One answer.
   *
   * @param status the HTTP status
   * @param body the JSON body
   * @param allow for 405, the methods allowed; else null
   */
  public record Answer(int status, String body, String allow) {}

  /**
   * GraphqlAnswers one HTTP request.
   *
   * @param caller whose budget pays and who is audited for mutations
   */
  public Answer handle(String method, String uri, String body, String caller) {
    requireNonNull(caller, "caller");
    boolean get = method.equals("GET");
    if (!get && !method.equals("POST")) {
      return new Answer(
          405, GraphqlAnswers.refused("METHOD_NOT_ALLOWED", "use GET or POST", null), "GET, POST");
    }
    GraphqlRequest request;
    try {
      request =
          get
              ? GraphqlRequest.fromQuery(new io.netty.handler.codec.http.QueryStringDecoder(uri))
              : GraphqlRequest.fromBody(body);
    } catch (IllegalArgumentException e) {
      return new Answer(400, GraphqlAnswers.refused("BAD_REQUEST", e.getMessage(), null), null);
    }
    ExecutionInput.Builder input =
        ExecutionInput.newExecutionInput()
            .query(request.query())
            .operationName(request.operationName())
            .variables(request.variables());
    Validation.Outcome validated = Validation.of(graphql.getGraphQLSchema(), input.build());
    if (validated.refusal() != null) {
      return validated.refusal();
    }
    ParseAndValidateResult parsed = validated.parsed();
    if (get && isMutation(parsed, request.operationName())) {
      return new Answer(
          405, GraphqlAnswers.refused("METHOD_NOT_ALLOWED", "mutations need POST", null), "POST");
    }
    return checked(parsed, request, input, caller);
  }

  private Answer checked(
      ParseAndValidateResult parsed,
      GraphqlRequest request,
      ExecutionInput.Builder input,
      String caller) {
    CostAnalysis cost;
    try {
      cost =
          CostAnalysis.of(
              rules,
              graphql.getGraphQLSchema(),
              parsed.getDocument(),
              request.operationName(),
              request.variables());
    } catch (RuntimeException e) {
      // Variables that do not coerce to their declared types.
      List<GraphQLError> errors = e instanceof GraphQLError g ? List.of(g) : List.of();
      return errors.isEmpty()
          ? new Answer(
              400, GraphqlAnswers.refused(Errors.BAD_USER_INPUT, e.getMessage(), null), null)
          : new Answer(400, GraphqlAnswers.errors(Errors.BAD_USER_INPUT, errors), null);
    }
    if (!cost.problems().isEmpty()) {
      return new Answer(
          400,
          GraphqlAnswers.refused("CONNECTION_LIMIT", String.join("; ", cost.problems()), null),
          null);
    }
    if (cost.depth() > rules.maxDepth()) {
      String message = "query depth " + cost.depth() + " exceeds the limit " + rules.maxDepth();
      return new Answer(
          400,
          GraphqlAnswers.refused(
              "MAX_DEPTH_EXCEEDED", message, GraphqlAnswers.cost(cost.cost(), 0, -1, rules)),
          null);
    }
    if (cost.cost() > rules.maxCost()) {
      String message = "query cost " + cost.cost() + " exceeds the limit " + rules.maxCost();
      return new Answer(
          400,
          GraphqlAnswers.refused(
              "MAX_COST_EXCEEDED", message, GraphqlAnswers.cost(cost.cost(), 0, -1, rules)),
          null);
    }
    CostBudget.Taken taken = budget.take(caller, cost.cost());
    if (!taken.granted()) {
      String message =
          "query cost "
              + cost.cost()
              + " exceeds the remaining budget "
              + taken.remaining()
              + " (refills "
              + rules.refillPerSecond()
              + " per second up to "
              + rules.budget()
              + ")";
      return new Answer(
          429,
          GraphqlAnswers.refused(
              "BUDGET_EXHAUSTED",
              message,
              GraphqlAnswers.cost(cost.cost(), 0, taken.remaining(), rules)),
          null);
    }
    return executed(input, caller, cost);
  }

  private Answer executed(ExecutionInput.Builder input, String caller, CostAnalysis cost) {
    long requested = cost.cost();
    Spend spend = new Spend();
    Map<Object, Object> context = new HashMap<>();
    context.put(Spend.class, spend);
    context.put(MutationFetchers.ACTOR, caller);
    // Exhausted dispatching: the S3 loader waits on the ledger or Cloudinary loader (the object's
    // name needs the original's format), so chained loads must still be dispatched in batches.
    context.put(DataLoaderDispatchingContextKeys.ENABLE_DATA_LOADER_EXHAUSTED_DISPATCHING, true);
    ExecutionResult result =
        graphql.execute(
            input
                .graphQLContext(context)
                .dataLoaderRegistry(Loaders.create(sources, spend, cost.s3Heads()))
                .build());
    spend.actualCost.addAndGet((long) CostRules.S3_LIST * spend.s3Lists.get());
    // Never charge more than was asked up front; what was not spent goes back to the caller.
    spend.actualCost.set(Math.min(spend.actualCost.get(), requested));
    long remaining = budget.refund(caller, requested - spend.actualCost.get());
    return new Answer(
        200,
        GraphqlAnswers.executed(
            result,
            GraphqlAnswers.cost(requested, spend.actualCost.get(), remaining, rules),
            spend),
        null);
  }

  private static boolean isMutation(ParseAndValidateResult parsed, String operationName) {
    OperationDefinition operation =
        NodeUtil.getOperation(parsed.getDocument(), operationName).operationDefinition;
    return operation.getOperation() == OperationDefinition.Operation.MUTATION;
  }

  /** Stops what {@link GraphqlEndpoints#open} started for this endpoint; idempotent. */
  @Override
  public void close() {
    try {
      owned.close();
    } catch (Exception e) {
      throw new IllegalStateException("cannot close the GraphQL endpoint's clients", e);
    }
  }
}
