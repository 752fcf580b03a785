package io.docshift.read;

import static java.util.Objects.requireNonNull;

import io.docshift.core.key.DocumentKey;
import io.docshift.core.outcome.Backend;
import io.docshift.core.store.ByteRange;
import io.docshift.core.store.DocumentMeta;
import io.docshift.core.store.DocumentResponse;
import io.docshift.core.store.DocumentStore;
import io.docshift.core.store.PutRequest;
import io.docshift.core.store.PutResult;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * A store a test scripts by overriding only the calls it expects: every other call fails the test
 * with {@link UnsupportedOperationException} ("not scripted"), so a decorator that reaches for more
 * than the test allows is caught. Closing does nothing.
 */
abstract class UnscriptedStore implements DocumentStore {
  private final Backend backend;

  UnscriptedStore(Backend backend) {
    this.backend = requireNonNull(backend, "backend");
  }

  /** What a scripted answer says of a PDF of {@code length} bytes: nothing else is known. */
  static DocumentMeta pdf(long length) {
    return new DocumentMeta(
        OptionalLong.of(length),
        "application/pdf",
        Optional.empty(),
        Optional.empty(),
        OptionalLong.empty(),
        Optional.empty());
  }

  @Override
  public Backend backend() {
    return backend;
  }

  @Override
  public CompletableFuture<DocumentMeta> head(DocumentKey key) {
    throw new UnsupportedOperationException("not scripted");
  }

  @Override
  public CompletableFuture<DocumentResponse> get(DocumentKey key, Optional<ByteRange> range) {
    throw new UnsupportedOperationException("not scripted");
  }

  @Override
  public CompletableFuture<PutResult> put(DocumentKey key, PutRequest request) {
    throw new UnsupportedOperationException("not scripted");
  }

  @Override
  public CompletableFuture<Boolean> delete(DocumentKey key) {
    throw new UnsupportedOperationException("not scripted");
  }

  @Override
  public void close() {}
}
