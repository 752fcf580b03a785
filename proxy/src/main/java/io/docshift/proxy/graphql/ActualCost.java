package io.docshift.proxy.graphql;

import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationFieldFetchParameters;
import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.GraphQLNamedType;

/**
 * Counts the actual cost while a query runs: each weighted field adds its weight once per object it
 * is resolved for, so a page that returns 3 of the 100 documents asked costs 3 documents' worth.
 */
final class ActualCost extends SimplePerformantInstrumentation {
  @Override
  public DataFetcher<?> instrumentDataFetcher(
      DataFetcher<?> fetcher,
      InstrumentationFieldFetchParameters parameters,
      InstrumentationState state) {
    DataFetchingEnvironment env = parameters.getEnvironment();
    if (env.getParentType() instanceof GraphQLNamedType parent) {
      int weight = CostRules.weight(parent.getName(), env.getFieldDefinition().getName());
      Spend spend = env.getGraphQlContext().get(Spend.class);
      if (weight > 0 && spend != null) {
        spend.actualCost.addAndGet(weight);
      }
    }
    return fetcher;
  }
}
