package io.docshift.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.core.key.DeliveryType;
import io.docshift.core.key.DocumentKey;
import io.docshift.core.key.ResourceType;
import io.docshift.core.store.PutCondition;
import io.docshift.core.store.PutRequest;
import io.docshift.ledger.IntentReason;
import io.docshift.ledger.LedgerKey;
import io.docshift.ledger.RepairOperation;
import io.docshift.ledger.S3State;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.async.AsyncRequestBody;

/**
 * A dual-write to a new image put S3 in parallel with Cloudinary (create-only, no version claim)
 * and died before Cloudinary's answer; Cloudinary never took the upload. The ledger never had the
 * row, so its tombstone has no format: the intent's reason names it, and the {@code put} repair
 * removes the object Cloudinary does not hold.
 */
@Timeout(120)
class ParallelPutRepairTest {
  @RegisterExtension static final SandboxStores STORES = new SandboxStores("parallel/");

  @TempDir Path spool;

  @Test
  void theObjectOfACrashedParallelPutCloudinaryNeverTookIsRemoved() throws Exception {
    try (RepairFixture fx = new RepairFixture(STORES.emulator(), STORES.s3(), spool)) {
      DocumentKey key =
          DocumentKey.of(
              Harness.account(STORES.emulator()).cloudName(),
              ResourceType.IMAGE,
              DeliveryType.UPLOAD,
              "parallel/never-taken",
              "pdf");
      byte[] bytes = "%PDF-1.4 parallel put".getBytes(StandardCharsets.US_ASCII);
      PutRequest put =
          PutRequest.builder(bytes.length, AsyncRequestBody.fromBytes(bytes))
              .md5Hex(RepairFixture.hex("MD5", bytes))
              .sha256Hex(RepairFixture.hex("SHA-256", bytes))
              .condition(PutCondition.ifAbsent())
              .build();
      fx.s3.put(key, put).get(30, TimeUnit.SECONDS);
      LedgerKey ledgerKey = LedgerKey.of(key);
      fx.ledger
          .outbox()
          .enqueue(ledgerKey, RepairOperation.PUT, IntentReason.dualWrite(key.format()));

      fx.worker.runOnce();

      assertThat(Harness.storedSha256(fx.s3, key)).as("S3").isEmpty();
      assertThat(Harness.storedSha256(fx.cloudinary, key)).as("Cloudinary").isEmpty();
      assertThat(fx.row(ledgerKey).state()).isEqualTo(S3State.DELETED);
      assertThat(fx.ledger.outbox().stats().depth()).isZero();
    }
  }
}
