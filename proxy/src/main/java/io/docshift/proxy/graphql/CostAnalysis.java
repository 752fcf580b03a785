package io.docshift.proxy.graphql;

import graphql.analysis.QueryTraverser;
import graphql.analysis.QueryVisitorFieldEnvironment;
import graphql.analysis.QueryVisitorStub;
import graphql.language.Document;
import graphql.schema.GraphQLSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The static cost and depth of a validated query, and the connections asked without exactly one
 * valid {@code first} or {@code last}: computed from the query text and its variables before
 * anything runs, so a refused query spends nothing upstream.
 */
final class CostAnalysis {
  private final CostRules rules;
  private long cost;
  private int depth;
  private final List<String> problems = new ArrayList<>();
  private boolean s3Heads;
  private int listedFields;

  /** The document fields that read S3 metadata. */
  private static final Set<String> S3_FIELDS = Set.of("s3", "consistent");

  /** The S3 fields only a HEAD answers: they come from the object's user metadata. */
  private static final Set<String> HEAD_ONLY = Set.of("checksum", "version");

  private CostAnalysis(CostRules rules) {
    this.rules = rules;
  }

  /** The analysis of {@code document}'s operation {@code operationName} (null: the only one). */
  static CostAnalysis of(
      CostRules rules,
      GraphQLSchema schema,
      Document document,
      String operationName,
      Map<String, Object> variables) {
    CostAnalysis analysis = new CostAnalysis(rules);
    QueryTraverser.newQueryTraverser()
        .schema(schema)
        .document(document)
        .operationName(operationName)
        .variables(variables)
        .build()
        .visitPreOrder(
            new QueryVisitorStub() {
              @Override
              public void visitField(QueryVisitorFieldEnvironment env) {
                analysis.visit(env);
              }
            });
    return analysis;
  }

  /**
   * The fields' weights, plus the LISTs each S3-reading field over several documents may make (none
   * when the query asks what only a HEAD answers: then nothing is listed).
   */
  long cost() {
    return s3Heads ? cost : cost + (long) CostRules.S3_LIST * S3Listings.MAX_LISTS * listedFields;
  }

  int depth() {
    return depth;
  }

  /**
   * Whether the query asks an S3 field that only a HEAD answers ({@code checksum}, {@code
   * version}): then S3 metadata is HEADed per document instead of listed.
   */
  boolean s3Heads() {
    return s3Heads;
  }

  /** Connections without a usable {@code first}, one message each; empty when none. */
  List<String> problems() {
    return problems;
  }

  private void visit(QueryVisitorFieldEnvironment env) {
    if (introspection(env)) {
      return;
    }
    String field = env.getFieldDefinition().getName();
    if (env.getFieldDefinition().getArgument("first") != null) {
      connection(field, env.getArguments());
    }
    if (env.getArguments().get("documents") instanceof List<?> documents
        && (documents.isEmpty() || documents.size() > rules.maxFirst())) {
      problems.add(field + ": " + documents.size() + " documents" + expected());
    }
    long multiplier = 1;
    int level = 1;
    for (QueryVisitorFieldEnvironment p = env.getParentEnvironment();
        p != null;
        p = p.getParentEnvironment()) {
      level++;
      multiplier *= count(p.getArguments());
    }
    depth = Math.max(depth, level);
    // A field over a list of documents (reverify, repair) spends its weight once per document.
    long own = env.getArguments().get("documents") instanceof List<?> d ? Math.max(1, d.size()) : 1;
    String type = env.getFieldsContainer().getName();
    cost += CostRules.weight(type, field) * multiplier * own;
    if (type.equals("Document")
        && S3_FIELDS.contains(field)
        && multiplier * own >= S3Listings.MIN_KEYS) {
      listedFields++;
    }
    if (type.equals("S3Object") && HEAD_ONLY.contains(field)) {
      s3Heads = true;
    }
  }

  /** A connection needs exactly one of {@code first}/{@code last}, each 1..max. */
  private void connection(String field, Map<String, Object> arguments) {
    Object first = arguments.get("first");
    Object last = arguments.get("last");
    if (first != null && last != null) {
      problems.add(field + ": first and last both given (expected: one of them)");
    } else if (last != null) {
      size(field, "last", last);
    } else {
      size(field, "first", first);
    }
    if ((last != null && arguments.get("after") != null)
        || (first != null && arguments.get("before") != null)) {
      problems.add(field + ": after goes with first, before with last");
    }
  }

  private void size(String field, String name, Object value) {
    if (!(value instanceof Integer n) || n < 1 || n > rules.maxFirst()) {
      problems.add(field + ": " + name + " is " + (value == null ? "missing" : value) + expected());
    }
  }

  private String expected() {
    return " (expected: 1.." + rules.maxFirst() + ")";
  }

  /** How many objects a field returns at most: its {@code first}/{@code last}, or its documents. */
  private static long count(Map<String, Object> arguments) {
    if (arguments.get("first") instanceof Integer n && n > 0) {
      return n;
    }
    if (arguments.get("last") instanceof Integer n && n > 0) {
      return n;
    }
    if (arguments.get("documents") instanceof List<?> documents && !documents.isEmpty()) {
      return documents.size();
    }
    return 1;
  }

  /** Introspection (for tools, authenticated anyway) costs nothing and has no depth limit. */
  private static boolean introspection(QueryVisitorFieldEnvironment env) {
    return env.isTypeNameIntrospectionField()
        || env.getFieldDefinition().getName().startsWith("__")
        || env.getFieldsContainer().getName().startsWith("__");
  }
}
