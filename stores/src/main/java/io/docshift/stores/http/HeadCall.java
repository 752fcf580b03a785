package io.docshift.stores.http;

import static java.util.Objects.requireNonNull;

import io.docshift.core.store.DocumentMeta;
import io.docshift.core.store.StoreException;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpResponse;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A store's HEAD of one document: {@link #result()} completes, on the client's event loop, with the
 * metadata of a 200 or the store's classified failure of any other answer (a HEAD has no body, so
 * it is read from the status and headers alone). The connection goes back to its pool.
 */
public final class HeadCall implements UpstreamListener {
  private final UpstreamAnswers answers;
  private final CompletableFuture<DocumentMeta> result = new CompletableFuture<>();

  public HeadCall(UpstreamAnswers answers) {
    this.answers = requireNonNull(answers, "answers");
  }

  /** The metadata, or a classified {@link StoreException}. */
  public CompletableFuture<DocumentMeta> result() {
    return result;
  }

  @Override
  public void onResponse(HttpResponse response, UpstreamExchange exchange) {
    exchange.discard();
    if (response.status().code() == 200) {
      result.complete(answers.meta(response, Optional.empty()));
    } else {
      result.completeExceptionally(answers.failure("head", response, ""));
    }
  }

  @Override
  public void onContent(ByteBuf content, boolean last) {
    content.release();
  }

  @Override
  public void onFailure(StoreException failure, boolean responseStarted) {
    result.completeExceptionally(failure);
  }
}
