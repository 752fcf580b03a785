package io.docshift.proxy.graphql;

import io.docshift.core.key.DocumentKey;
import io.docshift.core.store.DocumentMeta;
import io.docshift.ledger.DocumentRecord;
import io.docshift.ledger.DocumentTrails;
import io.docshift.ledger.Ledger;
import io.docshift.ledger.LedgerKey;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.dataloader.DataLoader;
import org.dataloader.DataLoaderFactory;
import org.dataloader.DataLoaderOptions;
import org.dataloader.DataLoaderRegistry;

/**
 * One request's DataLoaders: created per request, so nothing loaded for one caller is ever served
 * to another, and cached within it, so a document asked for twice is fetched once. With batching
 * off every loader takes one key per call: the N+1 behaviour the benchmark compares against.
 */
final class Loaders {
  static final String LEDGER = "ledger";
  static final String CLOUDINARY = "cloudinary";
  static final String S3 = "s3";
  static final String MISMATCHES = "mismatches";
  static final String REPAIRS = "repairs";
  static final String ACTIONS = "actions";

  private Loaders() {}

  /**
   * The request's loaders; {@code s3Heads} makes S3 metadata one HEAD per document (the query asks
   * what only a HEAD returns), else it is listed where a batch shares a folder.
   */
  static DataLoaderRegistry create(Sources sources, Spend spend, boolean s3Heads) {
    DataLoaderRegistry registry = new DataLoaderRegistry();
    registry.register(
        LEDGER, ledger(sources.ledger(), sources.blocking(), spend, options(sources, 1000)));
    registry.register(CLOUDINARY, cloudinary(sources.cloudinary(), spend, options(sources, 1000)));
    registry.register(S3, s3(sources, s3Heads, spend, options(sources, 1000)));
    DocumentTrails trails = sources.ledger().trails();
    registry.register(MISMATCHES, trail(trails::mismatches, sources, spend));
    registry.register(REPAIRS, trail(trails::repairs, sources, spend));
    registry.register(ACTIONS, trail(trails::actions, sources, spend));
    return registry;
  }

  private static DataLoaderOptions options(Sources sources, int maxBatch) {
    return DataLoaderOptions.newOptions()
        .setMaxBatchSize(sources.batching() ? maxBatch : 1)
        .build();
  }

  private static DataLoader<LedgerKey, DocumentRecord> ledger(
      Ledger ledger, Executor blocking, Spend spend, DataLoaderOptions options) {
    return DataLoaderFactory.newMappedDataLoader(
        keys ->
            CompletableFuture.supplyAsync(
                () -> {
                  spend.ledgerQueries.incrementAndGet();
                  Map<LedgerKey, DocumentRecord> rows = new HashMap<>();
                  for (DocumentRecord row : ledger.documents().findAll(List.copyOf(keys))) {
                    rows.put(row.key(), row);
                  }
                  return rows;
                },
                blocking),
        options);
  }

  /** A loader of one kind of per-document trail: one ledger statement per batch of documents. */
  private static <T> DataLoader<LedgerKey, List<T>> trail(
      Function<List<LedgerKey>, Map<LedgerKey, List<T>>> read, Sources sources, Spend spend) {
    return DataLoaderFactory.newMappedDataLoader(
        keys ->
            CompletableFuture.supplyAsync(
                () -> {
                  spend.ledgerQueries.incrementAndGet();
                  Map<LedgerKey, List<T>> found = new HashMap<>(read.apply(List.copyOf(keys)));
                  keys.forEach(key -> found.putIfAbsent(key, List.of()));
                  return found;
                },
                sources.blocking()),
        options(sources, 1000));
  }

  private static DataLoader<LedgerKey, CloudinaryResource> cloudinary(
      CloudinaryResources api, Spend spend, DataLoaderOptions options) {
    return DataLoaderFactory.newMappedDataLoader(
        keys -> api.fetch(List.copyOf(keys), spend.adminApiCalls::incrementAndGet), options);
  }

  private static DataLoader<DocumentKey, Optional<DocumentMeta>> s3(
      Sources sources, boolean heads, Spend spend, DataLoaderOptions options) {
    return DataLoaderFactory.newMappedDataLoader(
        keys ->
            heads
                ? sources.s3().head(List.copyOf(keys), spend.s3Heads::incrementAndGet)
                : sources.s3Listings().load(List.copyOf(keys), spend),
        options);
  }
}
