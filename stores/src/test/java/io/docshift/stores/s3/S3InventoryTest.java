package io.docshift.stores.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.core.key.DeliveryType;
import io.docshift.core.key.DocumentKey;
import io.docshift.core.key.ResourceType;
import io.docshift.core.store.PutRequest;
import io.docshift.testkit.EmbeddedS3Extension;
import io.docshift.testkit.TestBodies;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link S3Inventory} on S3Proxy: S3's own ETag next to DocShift's metadata, and paged listings.
 */
class S3InventoryTest {
  @RegisterExtension static final EmbeddedS3Extension S3 = new EmbeddedS3Extension();

  private static S3DocumentStore store;
  private static S3Inventory inventory;

  @BeforeAll
  static void start() {
    store = S3DocumentStore.create(S3DocumentStoreTest.settings(S3.s3().endpoint()));
    inventory = S3Inventory.create(S3DocumentStoreTest.settings(S3.s3().endpoint()));
  }

  @AfterAll
  static void stop() {
    inventory.close();
    store.close();
  }

  private static DocumentKey key(String publicId) {
    return DocumentKey.of("inv", ResourceType.RAW, DeliveryType.UPLOAD, publicId, null);
  }

  private static void put(String publicId, byte[] data) throws Exception {
    PutRequest request =
        PutRequest.builder(data.length, TestBodies.chunked(data, 4096))
            .md5Hex(TestBodies.md5Hex(data))
            .sha256Hex(TestBodies.sha256Hex(data))
            .cloudinaryVersion(7)
            .build();
    store.put(key(publicId), request).get(30, TimeUnit.SECONDS);
  }

  @Test
  void headShowsS3sOwnMd5BesideTheRecordedOneAndAbsenceIsEmpty() throws Exception {
    byte[] data = TestBodies.random(10_000, 1);
    put("head/one.pdf", data);
    String objectKey = key("head/one.pdf").s3Key(inventory.keyPrefix());

    S3ObjectInfo info = inventory.head(objectKey).get(30, TimeUnit.SECONDS).orElseThrow();

    assertThat(info.size()).isEqualTo(10_000);
    assertThat(info.etagMd5()).hasValue(TestBodies.md5Hex(data));
    assertThat(info.metadataMd5()).hasValue(TestBodies.md5Hex(data));
    assertThat(info.cloudinaryVersion()).hasValue(7);
    assertThat(info.etag()).isPresent();
    assertThat(inventory.head(objectKey + ".nothing").get(30, TimeUnit.SECONDS)).isEmpty();
  }

  @Test
  void listingPagesThroughEveryKeyInOrder() throws Exception {
    for (int i = 0; i < 5; i++) {
      put("list/doc-" + i + ".pdf", TestBodies.random(100 + i, i));
    }
    String prefix = inventory.keyPrefix() + "inv/raw/upload/list/";
    List<String> keys = new ArrayList<>();
    Optional<String> next = Optional.empty();
    int pages = 0;
    do {
      S3ObjectPage page = inventory.list(prefix, next, 2).get(30, TimeUnit.SECONDS);
      page.objects().forEach(o -> keys.add(o.key()));
      next = page.next();
      pages++;
    } while (next.isPresent());

    assertThat(pages).isEqualTo(3);
    assertThat(keys).hasSize(5).isSorted().allSatisfy(k -> assertThat(k).startsWith(prefix));
  }
}
