package io.docshift.stores.http;

import static java.util.Objects.requireNonNull;

import io.docshift.core.outcome.Backend;
import io.docshift.core.store.ContentRange;
import io.docshift.core.store.DocumentResponse;
import io.docshift.core.store.StoreException;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A store's GET of one document: {@link #result()} completes, on the client's event loop, with the
 * head of a 200 or 206 answer and its body streaming with demand ({@link UpstreamBody}), or with
 * the store's classified failure of any other answer. An error answer's body is read to its end (so
 * the connection is reused) when the store asks for it, up to its bound; a longer one closes the
 * connection.
 */
public final class GetCall implements UpstreamListener {
  private final Backend backend;
  private final Object what;
  private final UpstreamAnswers answers;
  private final CompletableFuture<DocumentResponse> result = new CompletableFuture<>();
  private UpstreamBody body;
  private HttpResponse refused;
  private StringBuilder errorBody;
  private UpstreamExchange exchange;

  /**
   * @param backend blamed for body failures
   * @param what names the document in messages
   */
  public GetCall(Backend backend, Object what, UpstreamAnswers answers) {
    this.backend = requireNonNull(backend, "backend");
    this.what = requireNonNull(what, "what");
    this.answers = requireNonNull(answers, "answers");
  }

  /** The response, or a classified {@link StoreException}. */
  public CompletableFuture<DocumentResponse> result() {
    return result;
  }

  @Override
  public void onResponse(HttpResponse response, UpstreamExchange started) {
    int status = response.status().code();
    if (status == 200 || status == 206) {
      Optional<ContentRange> part =
          status == 206
              ? ContentRange.parse(response.headers().get(HttpHeaderNames.CONTENT_RANGE))
              : Optional.empty();
      body = new UpstreamBody(started, backend, what);
      result.complete(new DocumentResponse(answers.meta(response, part), part, body));
    } else if (answers.errorBodyBytes() == 0) {
      started.discard();
      result.completeExceptionally(answers.failure("get", response, ""));
    } else {
      refused = response;
      errorBody = new StringBuilder();
      exchange = started;
      started.read();
    }
  }

  @Override
  public void onContent(ByteBuf content, boolean last) {
    if (body != null) {
      body.offer(content, last);
      return;
    }
    boolean fits;
    try {
      fits =
          refused != null
              && errorBody.length() + content.readableBytes() <= answers.errorBodyBytes();
      if (fits) {
        errorBody.append(content.toString(StandardCharsets.UTF_8));
      }
    } finally {
      content.release();
    }
    if (refused == null) {
      return;
    }
    if (!fits) {
      exchange.abort();
      refuse();
    } else if (last) {
      refuse();
    } else {
      exchange.read();
    }
  }

  @Override
  public void onFailure(StoreException failure, boolean responseStarted) {
    if (body != null) {
      body.fail(failure);
    } else if (refused != null) {
      refuse(); // an error answer that broke off is still the status the store gave
    } else {
      result.completeExceptionally(failure);
    }
  }

  private void refuse() {
    result.completeExceptionally(answers.failure("get", refused, errorBody.toString()));
  }
}
