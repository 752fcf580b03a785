package io.docshift.backfill;

import static io.docshift.ledger.RepairOperation.CLOUDINARY_DELETE;
import static io.docshift.ledger.RepairOperation.CLOUDINARY_PUT;
import static io.docshift.ledger.RepairOperation.PUT;
import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.backfill.Harness.Seeded;
import io.docshift.core.key.DocumentKey;
import io.docshift.core.outcome.Backend;
import io.docshift.core.store.ByteRange;
import io.docshift.core.store.DocumentMeta;
import io.docshift.core.store.DocumentResponse;
import io.docshift.core.store.DocumentStore;
import io.docshift.core.store.PutRequest;
import io.docshift.core.store.PutResult;
import io.docshift.ledger.S3State;
import io.docshift.ledger.UpsertOrigin;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code put} (S3 follows Cloudinary) and a {@code cld_put} (Cloudinary follows S3) of one
 * document, due in one batch, must not run side by side: each could copy the other store's old
 * bytes and leave the stores swapped under a verified row (a history-checker finding). The S3 store
 * is watched: its first call for the document waits (2 s at most) for a second one to overlap it.
 */
@Timeout(120)
class RepairOrderTest {
  @RegisterExtension static final SandboxStores STORES = new SandboxStores("order/");

  @TempDir Path spool;

  @Test
  void rowsOfOneDocumentRunOneAfterTheOther() throws Exception {
    Seeded doc =
        Harness.seedOne(STORES.emulator(), "raw", "upload", "order/doc.bin", new Random(5));
    OverlapProbe probe = new OverlapProbe(STORES.s3(), doc.key());
    try (RepairFixture fx = new RepairFixture(STORES.emulator(), probe, spool)) {
      fx.ledger.documents().upsert(doc.ledgerAsset(), UpsertOrigin.WRITE);
      byte[] s3Bytes = "bytes an S3-primary write left".getBytes(StandardCharsets.UTF_8);
      fx.putInS3(doc.key(), s3Bytes, doc.asset().version() + 5);
      probe.arm();
      fx.ledger.outbox().enqueue(doc.ledgerKey(), PUT, "read fell back");
      fx.ledger.outbox().enqueue(doc.ledgerKey(), CLOUDINARY_PUT, "secondary write failed");

      fx.worker.runOnce();

      assertThat(probe.calls()).as("S3 calls for the document").isGreaterThan(1);
      assertThat(probe.overlapped()).as("two repairs of one document overlapped").isFalse();
      assertThat(Harness.storedSha256(fx.cloudinary, doc.key()))
          .as("the stores agree")
          .isEqualTo(Harness.storedSha256(fx.s3, doc.key()));
    }
  }

  /**
   * S3-primary: a destroy was killed after its intent ({@code cld_delete}), then an acknowledged
   * rename moved another document onto the id while S3 lacked its object, so the rename queued a
   * {@code put} (S3 takes Cloudinary's renamed asset). The stale destroy must not empty Cloudinary
   * before the put copies it: the history checker saw an acknowledged rename end with its target in
   * neither store.
   */
  @Test
  void aDestroyQueuedBeforeARenameOntoTheIdLeavesWhatTheRenameMoved() throws Exception {
    Seeded doc =
        Harness.seedOne(STORES.emulator(), "raw", "upload", "order/renamed.bin", new Random(6));
    try (RepairFixture fx = new RepairFixture(STORES.emulator(), STORES.s3(), spool)) {
      fx.ledger.outbox().enqueue(doc.ledgerKey(), CLOUDINARY_DELETE, "destroy, writer killed");
      fx.ledger.documents().upsert(doc.ledgerAsset(), UpsertOrigin.WRITE);
      fx.ledger.outbox().enqueue(doc.ledgerKey(), PUT, "renamed from order/source.bin");

      fx.worker.runOnce();
      fx.worker.runOnce();

      assertThat(Harness.storedSha256(fx.cloudinary, doc.key()))
          .as("Cloudinary")
          .contains(doc.sha256());
      assertThat(Harness.storedSha256(fx.s3, doc.key())).as("S3").contains(doc.sha256());
      assertThat(fx.ledger.documents().find(doc.ledgerKey()).orElseThrow().state())
          .isEqualTo(S3State.VERIFIED);
      assertThat(fx.ledger.outbox().stats().depth()).as("outbox").isZero();
    }
  }

  /** An S3 store that notices calls for one document overlapping each other. */
  private static final class OverlapProbe implements DocumentStore {
    private final DocumentStore delegate;
    private final DocumentKey watched;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicBoolean overlapped = new AtomicBoolean();
    private final CountDownLatch second = new CountDownLatch(1);
    private volatile boolean armed;

    OverlapProbe(DocumentStore delegate, DocumentKey watched) {
      this.delegate = delegate;
      this.watched = watched;
    }

    void arm() {
      armed = true;
    }

    int calls() {
      return calls.get();
    }

    boolean overlapped() {
      return overlapped.get();
    }

    private <T> CompletableFuture<T> watch(DocumentKey key, Supplier<CompletableFuture<T>> call) {
      if (!armed || !key.equals(watched)) {
        return call.get();
      }
      int n = calls.incrementAndGet();
      if (inFlight.incrementAndGet() > 1) {
        overlapped.set(true);
        second.countDown();
      } else if (n == 1) {
        try {
          second.await(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return call.get().whenComplete((v, t) -> inFlight.decrementAndGet());
    }

    @Override
    public Backend backend() {
      return delegate.backend();
    }

    @Override
    public CompletableFuture<DocumentMeta> head(DocumentKey key) {
      return watch(key, () -> delegate.head(key));
    }

    @Override
    public CompletableFuture<DocumentResponse> get(DocumentKey key, Optional<ByteRange> range) {
      return watch(key, () -> delegate.get(key, range));
    }

    @Override
    public CompletableFuture<PutResult> put(DocumentKey key, PutRequest request) {
      return watch(key, () -> delegate.put(key, request));
    }

    @Override
    public CompletableFuture<Boolean> delete(DocumentKey key) {
      return watch(key, () -> delegate.delete(key));
    }

    @Override
    public CompletableFuture<Void> recordVersion(
        DocumentKey key, DocumentMeta current, long version) {
      return watch(key, () -> delegate.recordVersion(key, current, version));
    }

    @Override
    public void close() {
      // The test class closes the S3 store it shares.
    }
  }
}
