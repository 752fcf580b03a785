package io.docshift.proxy.graphql;

import graphql.GraphQL;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.TypeDefinitionRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The schema file ({@code docshift.graphqls}) wired to the resolvers. */
final class Schema {
  static final String RESOURCE = "docshift.graphqls";

  private Schema() {}

  static GraphQL build(Sources sources) {
    QueryFetchers query = new QueryFetchers(sources);
    MutationFetchers mutation = new MutationFetchers(sources);
    DocumentFetchers document = new DocumentFetchers(sources.control());
    MigrationFetchers migration = new MigrationFetchers(sources);
    TrailFetchers trails = new TrailFetchers();
    OpsFetchers ops = new OpsFetchers(sources);
    RuntimeWiring wiring =
        RuntimeWiring.newRuntimeWiring()
            .type(
                "Query",
                b ->
                    b.dataFetcher("document", query.document())
                        .dataFetcher("documents", query.documents())
                        .dataFetcher("migration", migration.migration())
                        .dataFetcher("traffic", query.traffic())
                        .dataFetcher("audit", query.audit())
                        .dataFetcher("mismatches", query.mismatches())
                        .dataFetcher("workers", ops.workers())
                        .dataFetcher("recentOutcomes", ops.recentOutcomes()))
            .type(
                "Mutation",
                b ->
                    b.dataFetcher("setTraffic", mutation.setTraffic())
                        .dataFetcher("resumeTraffic", mutation.resumeTraffic())
                        .dataFetcher("reverify", mutation.reverify())
                        .dataFetcher("repair", mutation.repair()))
            .type(
                "Document",
                b ->
                    b.dataFetcher("state", document.state())
                        .dataFetcher("ledger", document.ledger())
                        .dataFetcher("cloudinary", document.cloudinary())
                        .dataFetcher("s3", document.s3())
                        .dataFetcher("consistent", document.consistent())
                        .dataFetcher("servedFrom", document.servedFrom())
                        .dataFetcher("history", trails.history())
                        .dataFetcher("mismatches", trails.mismatches())
                        .dataFetcher("repairs", trails.repairs()))
            .type(
                "Migration",
                b ->
                    b.dataFetcher("byFolder", migration.byFolder())
                        .dataFetcher("history", ops.history())
                        .dataFetcher("ratePerSecond", migration.ratePerSecond())
                        .dataFetcher("eta", migration.eta())
                        .dataFetcher("etaSeconds", migration.etaSeconds()))
            .build();
    GraphQLSchema schema = new SchemaGenerator().makeExecutableSchema(types(), wiring);
    Upstream failures = new Upstream();
    return GraphQL.newGraphQL(schema)
        .instrumentation(new ActualCost())
        .defaultDataFetcherExceptionHandler(failures)
        .build();
  }

  private static TypeDefinitionRegistry types() {
    try (InputStream in = Schema.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + RESOURCE);
      }
      try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
        return new SchemaParser().parse(reader);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }
}
