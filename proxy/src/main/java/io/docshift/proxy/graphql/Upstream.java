package io.docshift.proxy.graphql;

import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.execution.DataFetcherExceptionHandler;
import graphql.execution.DataFetcherExceptionHandlerParameters;
import graphql.execution.DataFetcherExceptionHandlerResult;
import io.docshift.core.store.StoreException;
import io.docshift.ledger.LedgerException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a field's failure into an {@code errors} entry with {@code extensions.code}, while the rest
 * of the answer is still served (partial data). Store failures carry the project's one
 * classification ({@link io.docshift.core.outcome.Outcome}): {@code CLOUDINARY_THROTTLED} (429 or
 * 420 from the Admin API), {@code CLOUDINARY_5XX}, {@code CLOUDINARY_TIMEOUT}, {@code
 * CLOUDINARY_CONNECT}, {@code S3_CONNECT}, {@code S3_TIMEOUT}, ... and {@code extensions.backend};
 * a ledger failure is {@code LEDGER_UNAVAILABLE}; errors already coded keep their code; anything
 * else is {@code INTERNAL_ERROR} (logged, message kept short).
 */
final class Upstream implements DataFetcherExceptionHandler {
  static final String LEDGER_UNAVAILABLE = "LEDGER_UNAVAILABLE";
  static final String INTERNAL_ERROR = "INTERNAL_ERROR";

  private static final Logger LOG = LoggerFactory.getLogger(Upstream.class);

  @Override
  public CompletableFuture<DataFetcherExceptionHandlerResult> handleException(
      DataFetcherExceptionHandlerParameters p) {
    Throwable failure = unwrap(p.getException());
    Map<String, Object> extensions = new LinkedHashMap<>();
    String message;
    if (failure instanceof GraphQLError coded) {
      message = coded.getMessage();
      if (coded.getExtensions() != null) {
        extensions.putAll(coded.getExtensions());
      }
    } else if (failure instanceof StoreException store) {
      message = store.getMessage();
      extensions.put("code", store.outcome().name());
      extensions.put("backend", store.backend().name());
    } else if (failure instanceof LedgerException) {
      message = "ledger: " + failure.getMessage();
      extensions.put("code", LEDGER_UNAVAILABLE);
    } else {
      LOG.warn("GraphQL field {} failed", p.getPath(), failure);
      message = "internal error: " + failure;
      extensions.put("code", INTERNAL_ERROR);
    }
    GraphQLError error =
        GraphqlErrorBuilder.newError()
            .message(message)
            .path(p.getPath())
            .location(p.getSourceLocation())
            .extensions(extensions)
            .build();
    return CompletableFuture.completedFuture(
        DataFetcherExceptionHandlerResult.newResult(error).build());
  }

  /** The failure inside future wrappers. */
  static Throwable unwrap(Throwable t) {
    Throwable cause = t;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  /** A one-line description of a failure, for results that carry it as data. */
  static String describe(Throwable t) {
    Throwable cause = unwrap(t);
    if (cause instanceof StoreException store) {
      return store.outcome().name() + ": " + store.getMessage();
    }
    return cause.getMessage() == null ? cause.toString() : cause.getMessage();
  }
}
