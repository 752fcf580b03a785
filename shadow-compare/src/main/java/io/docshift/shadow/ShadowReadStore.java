package io.docshift.shadow;

import io.docshift.core.digest.Digester;
import io.docshift.core.digest.Digests;
import io.docshift.core.digest.HashingRelay;
import io.docshift.core.key.DocumentKey;
import io.docshift.core.outcome.Backend;
import io.docshift.core.store.ByteRange;
import io.docshift.core.store.DocumentMeta;
import io.docshift.core.store.DocumentResponse;
import io.docshift.core.store.PutRequest;
import io.docshift.core.store.PutResult;
import io.docshift.read.RoutedDocumentStore;
import io.docshift.read.Served;
import io.docshift.traffic.TrafficStateSource;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The shadow-read decorator over the routed read store. A read whose document is sampled ({@link
 * ShadowSampler}, live {@code shadowPercent}) and that gets a shadow slot ({@link
 * ShadowRunner#tryStart}; otherwise it is shed and served untouched) is served exactly as before,
 * with its body wrapped in a {@link HashingRelay} that checksums it on the way to the client; when
 * the body is complete the {@link ShadowRunner} reads the other store. Nothing here waits for a
 * shadow, so the client's status, headers, body and timing are those of the primary read; an
 * unsampled read is the primary's future, untouched.
 *
 * <p>Not shadowed: byte ranges (the body is partial; counted as {@code ignored / range}), reads S3
 * failed and Cloudinary served ({@code ignored / fallback}), metadata reads ({@link #headServed}:
 * HEAD and the first step of conditional GETs; not counted, since a conditional GET would then
 * count twice, and a HEAD proves nothing about bytes) and writes ({@link #put}, {@link #delete}).
 * Transformed and derived URLs never reach this store (they pass through to Cloudinary).
 */
final class ShadowReadStore implements RoutedDocumentStore {
  private final RoutedDocumentStore primary;
  private final TrafficStateSource traffic;
  private final ShadowRunner runner;
  private final Runnable closer;

  ShadowReadStore(
      RoutedDocumentStore primary,
      TrafficStateSource traffic,
      ShadowRunner runner,
      Runnable closer) {
    this.primary = primary;
    this.traffic = traffic;
    this.runner = runner;
    this.closer = closer;
  }

  @Override
  public Backend backend() {
    return primary.backend();
  }

  @Override
  public CompletableFuture<Served<DocumentMeta>> headServed(DocumentKey key) {
    return primary.headServed(key);
  }

  @Override
  public CompletableFuture<Served<DocumentResponse>> getServed(
      DocumentKey key, Optional<ByteRange> range) {
    CompletableFuture<Served<DocumentResponse>> read = primary.getServed(key, range);
    if (!ShadowSampler.sampled(key, traffic.current().shadowPercent())) {
      return read;
    }
    if (range.isPresent()) {
      runner.ignored(ShadowRules.RANGE);
      return read;
    }
    Optional<ShadowRunner.Permit> permit = runner.tryStart();
    if (permit.isEmpty()) {
      return read; // shed: served untouched
    }
    CompletableFuture<Served<DocumentResponse>> tapped = new CompletableFuture<>();
    read.whenComplete(
        (served, failure) -> {
          if (failure != null) {
            runner.primaryFailed(permit.get(), key, failure);
            tapped.completeExceptionally(failure);
          } else {
            tapped.complete(tap(permit.get(), key, served));
          }
        });
    return tapped;
  }

  private Served<DocumentResponse> tap(
      ShadowRunner.Permit permit, DocumentKey key, Served<DocumentResponse> served) {
    if (served.fallbackCause().isPresent()) {
      runner.ignored(permit, ShadowRules.FALLBACK);
      return served;
    }
    DocumentResponse response = served.value();
    Backend backend = served.backend();
    String contentType = response.meta().contentType();
    // The client's body with a CRC-32C on the side; the shadow read starts once it completed.
    HashingRelay body =
        HashingRelay.tap(
            response.body(),
            Digester.of(Digester.Algorithm.CRC32C),
            new HashingRelay.Ending() {
              @Override
              public void completed(Digests digests) {
                runner.primaryRead(
                    permit,
                    key,
                    backend,
                    new ReadSummary(
                        ReadSummary.OK, digests.length(), contentType, digests.crc32c(), null));
              }

              @Override
              public void incomplete(boolean cancelled) {
                runner.ignored(permit, ShadowRules.INCOMPLETE);
              }
            });
    return new Served<>(
        new DocumentResponse(response.meta(), response.contentRange(), body),
        backend,
        served.fallbackCause());
  }

  @Override
  public CompletableFuture<PutResult> put(DocumentKey key, PutRequest request) {
    return primary.put(key, request);
  }

  @Override
  public CompletableFuture<Boolean> delete(DocumentKey key) {
    return primary.delete(key);
  }

  @Override
  public CompletableFuture<Boolean> removedInS3Only(DocumentKey key) {
    return primary.removedInS3Only(key);
  }

  /** Stops shadowing, closes the shadow stores, then the primary. */
  @Override
  public void close() {
    try {
      runner.close();
      closer.run();
    } finally {
      primary.close();
    }
  }
}
