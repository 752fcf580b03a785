package io.docshift.proxy.graphql;

import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;
import io.docshift.core.key.DeliveryType;
import io.docshift.core.key.DocumentKey;
import io.docshift.core.key.ResourceType;
import io.docshift.core.store.DocumentMeta;
import io.docshift.ledger.DocumentRecord;
import io.docshift.ledger.LedgerKey;
import io.docshift.ledger.S3State;
import io.docshift.traffic.control.TrafficControl;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.dataloader.DataLoader;

/**
 * The {@code Document} fields. The source is the document's {@link LedgerKey}; every field goes
 * through the request's loaders, so a page of documents costs one ledger statement, one Admin API
 * call per 100 documents and bounded S3 HEADs, whichever fields are asked.
 */
final class DocumentFetchers {
  private final TrafficControl control;

  DocumentFetchers(TrafficControl control) {
    this.control = control;
  }

  DataFetcher<CompletableFuture<String>> state() {
    return env -> row(env).thenApply(row -> row == null ? null : row.state().name());
  }

  DataFetcher<CompletableFuture<Map<String, Object>>> ledger() {
    return env -> row(env).thenApply(row -> row == null ? null : LedgerRows.map(row));
  }

  DataFetcher<CompletableFuture<CloudinaryResource>> cloudinary() {
    return DocumentFetchers::cloudinary;
  }

  /**
   * What S3 holds; its {@code checksum} is the SHA-256 in the object's metadata, or, for a copy the
   * backfill streamed (whose metadata has none), the ledger's when the ledger recorded the object's
   * MD5 (the row is the page's loader's: no extra statement).
   */
  DataFetcher<CompletableFuture<Map<String, Object>>> s3() {
    return env ->
        s3(env).thenCombine(row(env), (meta, row) -> meta.map(m -> s3Map(m, row)).orElse(null));
  }

  /**
   * The verdict; when a store fails it is "cannot tell" ({@code consistent} null, the failure as
   * the reason) rather than an error, so one store's outage never nulls the whole page above it
   * (the failing store's own field carries the error).
   */
  DataFetcher<CompletableFuture<Map<String, Object>>> consistent() {
    return env -> {
      CompletableFuture<Optional<CloudinaryResource>> cld =
          cloudinary(env).thenApply(Optional::ofNullable);
      CompletableFuture<Optional<DocumentMeta>> s3 = s3(env);
      return cld.handle(Attempt::of)
          .thenCombine(
              s3.handle(Attempt::of),
              (c, s) -> {
                if (c.failure() != null || s.failure() != null) {
                  Throwable failure = c.failure() != null ? c.failure() : s.failure();
                  return Verdicts.unknown(
                      (c.failure() != null ? "Cloudinary" : "S3")
                          + " failed: "
                          + Upstream.describe(failure));
                }
                return Verdicts.of(c.value().orElse(null), s.value());
              });
    };
  }

  /** A value or the failure that prevented it. */
  private record Attempt<T>(T value, Throwable failure) {
    static <T> Attempt<T> of(T value, Throwable failure) {
      return new Attempt<>(value, failure);
    }
  }

  DataFetcher<CompletableFuture<String>> servedFrom() {
    return env ->
        row(env)
            .thenApply(
                row -> {
                  LedgerKey key = env.getSource();
                  boolean inS3Share =
                      documentKey(key, null).stickyBucket() < control.current().s3ReadPercent();
                  // A read goes to S3 only in the S3 share and when the ledger vouches for the
                  // copy.
                  return inS3Share && row != null && row.state() == S3State.VERIFIED
                      ? "S3"
                      : "CLOUDINARY";
                });
  }

  private static CompletableFuture<DocumentRecord> row(DataFetchingEnvironment env) {
    DataLoader<LedgerKey, DocumentRecord> loader = env.getDataLoader(Loaders.LEDGER);
    return loader.load(env.getSource());
  }

  private static CompletableFuture<CloudinaryResource> cloudinary(DataFetchingEnvironment env) {
    DataLoader<LedgerKey, CloudinaryResource> loader = env.getDataLoader(Loaders.CLOUDINARY);
    return loader.load(env.getSource());
  }

  /** S3's object is named with the original's format: the ledger's, else Cloudinary's. */
  private static CompletableFuture<Optional<DocumentMeta>> s3(DataFetchingEnvironment env) {
    LedgerKey key = env.getSource();
    DataLoader<DocumentKey, Optional<DocumentMeta>> heads = env.getDataLoader(Loaders.S3);
    CompletableFuture<String> format =
        row(env)
            .thenCompose(
                row ->
                    row != null || key.resourceType().equals("raw")
                        ? CompletableFuture.completedFuture(
                            row == null ? null : row.asset().format())
                        : cloudinary(env).thenApply(r -> r == null ? null : r.format()));
    return format.thenCompose(f -> heads.load(documentKey(key, f)));
  }

  static DocumentKey documentKey(LedgerKey key, String format) {
    return DocumentKey.of(
        key.cloud(),
        ResourceType.fromWire(key.resourceType()).orElseThrow(),
        DeliveryType.fromWire(key.type()).orElseThrow(),
        key.publicId(),
        key.resourceType().equals("raw") ? null : format);
  }

  private static Map<String, Object> s3Map(DocumentMeta meta, DocumentRecord row) {
    Map<String, Object> m = new HashMap<>();
    m.put("size", meta.length().isPresent() ? (double) meta.length().getAsLong() : null);
    m.put("etag", meta.md5Hex().orElse(null));
    Optional<String> sha256 = row == null ? meta.sha256Hex() : row.s3().sha256Of(meta);
    m.put("checksum", sha256.orElse(null));
    m.put("lastModified", meta.lastModified().map(Object::toString).orElse(null));
    m.put("version", meta.version().isPresent() ? (double) meta.version().getAsLong() : null);
    return m;
  }
}
